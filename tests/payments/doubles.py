"""Test doubles of the payment providers, on loopback ports, speaking their protocols.

Each is a small WSGI application served by the standard library's server in a
thread (started and stopped by the fixtures in conftest.py). They check what a
real provider checks — HTTP Basic credentials and the field limits
(XBezahldienste), HMAC-MD5 request hashes (GiroCheckout) — and sign their answers
as the real one does, so the adapters are tested against the bytes, not a mock.
"""

import base64
import hashlib
import hmac
import json
import threading
import uuid
from decimal import Decimal
from html import escape
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def _respond(start_response, status, body=b"", content_type="application/json", headers=()):
    if isinstance(body, str):
        body = body.encode()
    start_response(status, [("Content-Type", content_type), *headers])
    return [body]


def _form(environ) -> dict:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length).decode()
    return {key: values[0] for key, values in parse_qs(raw, keep_blank_values=True).items()}


def _payment_page(action_base: str, title: str) -> str:
    buttons = "".join(
        f'<form method="post" action="{action_base}/{action}">'
        f'<button type="submit">{label}</button></form>'
        for action, label in (
            ("pay", "Jetzt bezahlen"),
            ("cancel", "Abbrechen"),
            ("fail", "Ablehnen"),
        )
    )
    return (
        f'<!doctype html><html lang="de"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"</head><body><main><h1>{escape(title)}</h1>{buttons}</main></body></html>"
    )


class Double:
    """Start/stop around a WSGI app; ``url`` is its base address."""

    def __init__(self):
        self.server = make_server(
            "127.0.0.1", 0, self, server_class=_ThreadingServer, handler_class=_Quiet
        )
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.lock = threading.Lock()
        self.fail_next = 0  # answer this many requests with 500
        self.requests: list[tuple[str, str]] = []
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
        with self.lock:
            self.requests.append((method, path))
            if self.fail_next and not path.startswith("/pay/"):
                self.fail_next -= 1
                return _respond(start_response, "500 Internal Server Error", b"{}")
        return self.handle(method, path, environ, start_response)


class XBezahldiensteDouble(Double):
    """POST/GET /paymenttransaction/{originatorId}/{endPointId}[/{transactionId}]."""

    def __init__(self, *, originator="ABH-ORIG", endpoint="EP-1", user="abh", password="geheim"):  # noqa: S107 (test credentials)
        super().__init__()
        self.prefix = f"/paymenttransaction/{originator}/{endpoint}"
        self.credentials = base64.b64encode(f"{user}:{password}".encode()).decode()
        self.transactions: dict[str, dict] = {}
        self.by_request: dict[str, str] = {}

    def _error(self, start_response, status, code):
        return _respond(start_response, status, json.dumps({"errorCode": code}))

    def _info(self, tx_id):
        tx = self.transactions[tx_id]
        return {
            "paymentInformation": {
                "transactionId": tx_id,
                "transactionUrl": f"{self.url}{self.prefix}/{tx_id}",
                "transactionRedirectUrl": f"{self.url}/pay/{tx_id}",
                "status": tx["status"],
            },
            "paymentRequest": tx["request"],
        }

    def handle(self, method, path, environ, start_response):
        if path.startswith("/pay/"):
            return self._payment_page(method, path, environ, start_response)
        if environ.get("HTTP_AUTHORIZATION") != f"Basic {self.credentials}":
            return self._error(start_response, "403 Forbidden", "FORBIDDEN")
        if method == "POST" and path == self.prefix:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            try:
                body = json.loads(environ["wsgi.input"].read(length), parse_float=Decimal)
            except ValueError:
                return self._error(start_response, "400 Bad Request", "VALIDATION_ERROR")
            problem = self._validate(body)
            if problem:
                return self._error(start_response, "400 Bad Request", problem)
            with self.lock:
                if body["requestId"] in self.by_request:
                    return self._error(start_response, "409 Conflict", "PAYMENT_EXISTS")
                tx_id = uuid.uuid4().hex[:20]
                self.transactions[tx_id] = {"status": "INITIAL", "request": body}
                self.by_request[body["requestId"]] = tx_id
            return _respond(
                start_response, "201 Created", json.dumps(self._info(tx_id), default=str)
            )
        if method == "GET" and path.startswith(self.prefix + "/"):
            tx_id = path.removeprefix(self.prefix + "/")
            if tx_id not in self.transactions:
                return self._error(start_response, "404 Not Found", "NOT_FOUND")
            return _respond(start_response, "200 OK", json.dumps(self._info(tx_id), default=str))
        return self._error(start_response, "404 Not Found", "NOT_FOUND")

    @staticmethod
    def _validate(body) -> str:
        items = body.get("items") or []
        request_id = str(body.get("requestId") or "")
        if not (
            0 < len(request_id) <= 36
            and body.get("currency") == "EUR"
            and len(body.get("purpose") or "") <= 27
            and len(body.get("description") or "") <= 250
            and body.get("redirectUrl")
            and 1 <= len(items) <= 99
        ):
            return "VALIDATION_ERROR"
        if sum(Decimal(str(item["total"])) for item in items) != Decimal(str(body["grossAmount"])):
            return "CALCULATION_ERROR"
        return ""

    def _payment_page(self, method, path, environ, start_response):
        parts = path.strip("/").split("/")  # pay/<id>[/<action>]
        tx = self.transactions.get(parts[1]) if len(parts) > 1 else None
        if tx is None:
            return _respond(start_response, "404 Not Found", "unknown", "text/plain")
        if method == "GET":
            page = _payment_page(f"/pay/{parts[1]}", "ePayment (Testumgebung)")
            return _respond(start_response, "200 OK", page, "text/html; charset=utf-8")
        states = {"pay": "PAYED", "cancel": "CANCELED", "fail": "FAILED"}
        tx["status"] = states[parts[2]]
        return _respond(start_response, "303 See Other", b"", "text/plain",
                        [("Location", tx["request"]["redirectUrl"])])  # fmt: skip

    def force_state(self, tx_id, state):
        self.transactions[tx_id]["status"] = state


class GiroCheckoutDouble(Double):
    """/girocheckout/api/v2/transaction/{start,status}, hashed with HMAC-MD5."""

    START = ("merchantId", "projectId", "merchantTxId", "amount", "currency", "purpose",
             "urlRedirect", "urlNotify")  # fmt: skip
    STATUS = ("merchantId", "projectId", "reference")
    NOTIFY = ("gcReference", "gcMerchantTxId", "gcBackendTxId", "gcAmount", "gcCurrency",
              "gcResultPayment")  # fmt: skip

    def __init__(self, *, merchant="1234567", project="4711", secret="projektgeheimnis"):  # noqa: S107
        super().__init__()
        self.merchant, self.project, self.secret = merchant, project, secret
        self.transactions: dict[str, dict] = {}

    def sign(self, values) -> str:
        text = "".join(str(v) for v in values).encode()
        return hmac.new(self.secret.encode(), text, hashlib.md5).hexdigest()

    def _answer(self, start_response, payload):
        body = json.dumps(payload).encode()
        digest = hmac.new(self.secret.encode(), body, hashlib.md5).hexdigest()
        return _respond(start_response, "200 OK", body, headers=[("hash", digest)])

    def _checked(self, form, fields) -> bool:
        if form.get("merchantId") != self.merchant or form.get("projectId") != self.project:
            return False
        expected = self.sign(form[name] for name in fields if name in form)
        return hmac.compare_digest(expected, form.get("hash", ""))

    def handle(self, method, path, environ, start_response):
        if path.startswith("/pay/"):
            return self._payment_page(method, path, environ, start_response)
        form = _form(environ) if method == "POST" else {}
        if path.endswith("/transaction/start"):
            if not self._checked(form, self.START):
                return self._answer(start_response, {"rc": 5100, "msg": "hash invalid"})
            reference = uuid.uuid4().hex[:16]
            self.transactions[reference] = {"form": form, "result": None}
            return self._answer(
                start_response,
                {
                    "rc": 0,
                    "msg": "",
                    "reference": reference,
                    "redirect": f"{self.url}/pay/{reference}",
                },
            )
        if path.endswith("/transaction/status"):
            if not self._checked(form, self.STATUS):
                return self._answer(start_response, {"rc": 5100, "msg": "hash invalid"})
            tx = self.transactions.get(form["reference"])
            if tx is None:
                return self._answer(start_response, {"rc": 5000, "msg": "unknown reference"})
            answer = {"rc": 0, "msg": "", "reference": form["reference"],
                      "merchantTxId": tx["form"]["merchantTxId"]}  # fmt: skip
            if tx["result"] is not None:
                answer["resultPayment"] = tx["result"]
            return self._answer(start_response, answer)
        return _respond(start_response, "404 Not Found", b"{}")

    def notification(self, reference, *, merchant_tx_id=None, result=None) -> dict:
        """The signed parameters GiroCheckout sends to urlNotify (and urlRedirect)."""
        tx = self.transactions.get(reference, {"form": {"amount": "0"}, "result": result})
        params = {
            "gcReference": reference,
            "gcMerchantTxId": merchant_tx_id or tx["form"].get("merchantTxId", ""),
            "gcBackendTxId": "B" + reference[:8],
            "gcAmount": tx["form"].get("amount", "0"),
            "gcCurrency": "EUR",
            "gcResultPayment": str(result if result is not None else tx["result"]),
        }
        params["gcHash"] = self.sign(params[name] for name in self.NOTIFY)
        return params

    def _payment_page(self, method, path, environ, start_response):
        parts = path.strip("/").split("/")
        tx = self.transactions.get(parts[1]) if len(parts) > 1 else None
        if tx is None:
            return _respond(start_response, "404 Not Found", "unknown", "text/plain")
        if method == "GET":
            page = _payment_page(f"/pay/{parts[1]}", "GiroCheckout (Test)")
            return _respond(start_response, "200 OK", page, "text/html; charset=utf-8")
        tx["result"] = {"pay": 4000, "cancel": 4502, "fail": 4900}[parts[2]]
        location = tx["form"]["urlRedirect"] + "?" + urlencode(self.notification(parts[1]))
        return _respond(
            start_response, "303 See Other", b"", "text/plain", [("Location", location)]
        )
