"""A FIT-Connect double: the token endpoint and the Submission API, on a loopback port.

It speaks the documented protocol (see ../shared/reference/interop.md): OAuth2
client credentials, ``GET /v1/submissions`` paged, a submission with its JWE
metadata and data, attachments as compact JWE, the case's event log with a
submit-submission SET signed by the "delivery service", and ``POST
/v1/cases/{id}/events`` that verifies our PS512 signature against the public key
we registered and the SET's claims, and answers 409 on a wrong transition. It
creates submissions encrypted to the destination's real public key and sends
callbacks with a real HMAC-SHA512.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx
from jwcrypto import jwe, jwk, jws

EVENTS = "https://schema.fitko.de/fit-connect/events/"


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _ThreadedServer(WSGIServer):
    daemon_threads = True


def encrypt(plaintext: bytes, public_key: jwk.JWK, kid: str) -> str:
    token = jwe.JWE(
        plaintext, protected=json.dumps({"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": kid})
    )
    token.add_recipient(public_key)
    return token.serialize(compact=True)


def sha512(content: bytes) -> dict:
    return {"type": "sha512", "content": hashlib.sha512(content).hexdigest()}


@dataclass
class StoredSubmission:
    submission_id: str
    case_id: str
    destination_id: str
    metadata: str
    data: str
    attachments: dict[str, str]
    state: str = "submitted"
    event_log: list[str] = field(default_factory=list)


class FitConnectDouble:
    def __init__(self, *, client_id: str, client_secret: str, service_key: jwk.JWK):
        self.client_id = client_id
        self.client_secret = client_secret
        self.service_key = service_key  # signs the submit-submission events
        self.subscriber_keys: dict[str, jwk.JWK] = {}  # public signing keys we registered
        self.tokens: set[str] = set()
        self.token_requests = 0
        self.submissions: dict[str, StoredSubmission] = {}
        self.received_events: list[dict] = []
        self.refused_events: list[tuple[int, str]] = []
        self.fail_events_with: int | None = None  # e.g. 500: the delivery service is down
        self._server = None

    # --- running ---------------------------------------------------------------
    def start(self) -> str:
        self._server = make_server(
            "127.0.0.1", 0, self, server_class=_ThreadedServer, handler_class=_QuietHandler
        )
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        return self.url

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- what the sender does ----------------------------------------------------
    def submit(
        self,
        *,
        destination_id: str,
        encryption_key: jwk.JWK,
        kid: str,
        service_identifier: str,
        data: dict,
        attachments: list[tuple[str, str, bytes]] = (),
        submitted_at: int | None = None,
        tamper: str = "",
    ) -> StoredSubmission:
        """A submission as a sender's online service makes it. ``tamper``: 'ciphertext'
        (a changed byte in the data JWE), 'hash' (a wrong declared data hash)."""
        data_bytes = json.dumps(data).encode()
        entries, encrypted = [], {}
        for filename, mime_type, content in attachments:
            attachment_id = str(uuid.uuid4())
            entries.append(
                {
                    "attachmentId": attachment_id,
                    "filename": filename,
                    "mimeType": mime_type,
                    "purpose": "attachment",
                    "hash": sha512(content),
                }
            )
            encrypted[attachment_id] = encrypt(content, encryption_key, kid)
        data_hash = sha512(data_bytes)
        if tamper == "hash":
            data_hash = sha512(data_bytes + b" ")
        metadata = {
            "$schema": "https://schema.fitko.de/fit-connect/metadata/1.2.0/metadata.schema.json",
            "contentStructure": {
                "data": {
                    "hash": data_hash,
                    "submissionSchema": {
                        "schemaUri": "https://schema.example.org/aufenthaltstitel.json",
                        "mimeType": "application/json",
                    },
                },
                "attachments": entries,
            },
            "publicServiceType": {"identifier": service_identifier, "name": "Aufenthaltstitel"},
        }
        encrypted_data = encrypt(data_bytes, encryption_key, kid)
        if tamper == "ciphertext":
            parts = encrypted_data.split(".")
            raw = bytearray(base64.urlsafe_b64decode(parts[3] + "=" * (-len(parts[3]) % 4)))
            raw[0] ^= 0x01
            parts[3] = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
            encrypted_data = ".".join(parts)
        stored = StoredSubmission(
            submission_id=str(uuid.uuid4()),
            case_id=str(uuid.uuid4()),
            destination_id=destination_id,
            metadata=encrypt(json.dumps(metadata).encode(), encryption_key, kid),
            data=encrypted_data,
            attachments=encrypted,
        )
        stored.event_log.append(self._service_event(stored, "submit-submission", submitted_at))
        self.submissions[stored.submission_id] = stored
        return stored

    def _service_event(self, stored, name: str, issued_at: int | None) -> str:
        claims = {
            "iss": "https://submission-api.double",
            "iat": issued_at or int(time.time()),
            "jti": str(uuid.uuid4()),
            "sub": f"submission:{stored.submission_id}",
            "txn": f"case:{stored.case_id}",
            "events": {EVENTS + name: {}},
        }
        token = jws.JWS(json.dumps(claims).encode())
        token.add_signature(
            self.service_key,
            alg="PS512",
            protected={"typ": "secevent+jwt", "alg": "PS512", "kid": self.service_key["kid"]},
        )
        return token.serialize(compact=True)

    def send_callback(
        self,
        url: str,
        secret: str,
        submissions: list[StoredSubmission],
        *,
        timestamp=None,
        secret_override: str | None = None,
    ) -> tuple[httpx.Response, bytes, dict]:
        body = json.dumps(
            {
                "type": "https://schema.fitko.de/fit-connect/callbacks/new-submissions",
                "submissions": [
                    {
                        "destinationId": s.destination_id,
                        "submissionId": s.submission_id,
                        "caseId": s.case_id,
                    }
                    for s in submissions
                ],
            }
        ).encode()
        stamp = str(timestamp or int(time.time()))
        key = (secret_override or secret).encode()
        headers = {
            "content-type": "application/json",
            "callback-timestamp": stamp,
            "callback-authentication": hmac.new(
                key, stamp.encode() + b"." + body, hashlib.sha512
            ).hexdigest(),
        }
        return httpx.post(url, content=body, headers=headers), body, headers

    # --- the WSGI app ------------------------------------------------------------
    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ["PATH_INFO"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        status, payload, content_type = self._route(method, path, environ, body)
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        if status == 204:
            data = b""
        start_response(
            {
                200: "200 OK",
                204: "204 No Content",
                400: "400 Bad Request",
                401: "401 Unauthorized",
                404: "404 Not Found",
                409: "409 Conflict",
                415: "415 Unsupported Media Type",
                422: "422 Unprocessable Entity",
                500: "500 Internal Server Error",
            }[status],
            [("Content-Type", content_type), ("Content-Length", str(len(data)))],
        )
        return [data]

    def _route(self, method, path, environ, body):
        js = "application/json"
        if method == "POST" and path == "/token":
            return self._token(environ, body)
        if method == "GET" and path == "/.well-known/jwks.json":
            return 200, {"keys": [self.service_key.export_public(as_dict=True)]}, js
        if self._bearer(environ) not in self.tokens:
            return 401, {"error": "invalid_token"}, js
        parts = path.strip("/").split("/")
        if method == "GET" and parts == ["v1", "submissions"]:
            query = parse_qs(environ.get("QUERY_STRING", ""))
            destination = query.get("destinationId", [""])[0]
            limit = min(int(query.get("limit", ["100"])[0]), 500)
            offset = int(query.get("offset", ["0"])[0])
            waiting = [
                s
                for s in self.submissions.values()
                if s.destination_id == destination and s.state == "submitted"
            ]
            page = waiting[offset : offset + limit]
            return (
                200,
                {
                    "count": len(page),
                    "offset": offset,
                    "totalCount": len(waiting),
                    "submissions": [
                        {
                            "destinationId": s.destination_id,
                            "submissionId": s.submission_id,
                            "caseId": s.case_id,
                        }
                        for s in page
                    ],
                },
                js,
            )
        if method == "GET" and len(parts) == 3 and parts[:2] == ["v1", "submissions"]:
            stored = self.submissions.get(parts[2])
            if stored is None:
                return 404, {"error": "not found"}, js
            return (
                200,
                {
                    "destinationId": stored.destination_id,
                    "submissionId": stored.submission_id,
                    "caseId": stored.case_id,
                    "encryptedMetadata": stored.metadata,
                    "encryptedData": stored.data,
                    "attachments": list(stored.attachments),
                    "serviceType": {"identifier": "", "name": "Aufenthaltstitel"},
                },
                js,
            )
        if method == "GET" and len(parts) == 5 and parts[3] == "attachments":
            stored = self.submissions.get(parts[2])
            if stored is None or parts[4] not in stored.attachments:
                return 404, {"error": "not found"}, js
            return 200, stored.attachments[parts[4]].encode(), "application/jose"
        if len(parts) == 4 and parts[:2] == ["v1", "cases"] and parts[3] == "events":
            stored = next((s for s in self.submissions.values() if s.case_id == parts[2]), None)
            if stored is None:
                return 404, {"error": "not found"}, js
            if method == "GET":
                return 200, {"eventLog": stored.event_log}, js
            if method == "POST":
                return self._event(stored, environ, body)
        return 404, {"error": "not found"}, js

    def _bearer(self, environ) -> str:
        header = environ.get("HTTP_AUTHORIZATION", "")
        return header[7:] if header.startswith("Bearer ") else ""

    def _token(self, environ, body):
        self.token_requests += 1
        form = parse_qs(body.decode())
        header = environ.get("HTTP_AUTHORIZATION", "")
        client_id = client_secret = ""
        if header.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(header[6:]).decode().partition(":")
        if form.get("grant_type") != ["client_credentials"]:
            return 400, {"error": "unsupported_grant_type"}, "application/json"
        if (client_id, client_secret) != (self.client_id, self.client_secret):
            return 401, {"error": "invalid_client"}, "application/json"
        token = secrets.token_urlsafe(24)
        self.tokens.add(token)
        return (
            200,
            {"access_token": token, "token_type": "Bearer", "expires_in": 1800},
            ("application/json"),
        )

    def _event(self, stored: StoredSubmission, environ, body):
        js = "application/json"
        if self.fail_events_with:
            return self.fail_events_with, {"error": "unavailable"}, js
        if environ.get("CONTENT_TYPE") != "application/jose":
            return 415, {"error": "Content-Type must be application/jose"}, js
        compact = body.decode()
        token = jws.JWS()
        try:
            token.deserialize(compact)
            header = json.loads(token.objects["protected"])
            key = self.subscriber_keys.get(header.get("kid", ""))
            if key is None or header.get("alg") != "PS512" or header.get("typ") != "secevent+jwt":
                raise ValueError(f"header {header}")
            token.verify(key, alg="PS512")
            claims = json.loads(token.payload)
        except Exception as error:  # the double refuses anything unverifiable
            self.refused_events.append((422, str(error)))
            return 422, {"error": f"signature: {error}"}, js
        problems = []
        if claims.get("sub") != f"submission:{stored.submission_id}":
            problems.append("sub")
        if claims.get("txn") != f"case:{stored.case_id}":
            problems.append("txn")
        if claims.get("iss") != stored.destination_id:
            problems.append("iss")
        try:
            uuid.UUID(claims.get("jti", ""))
        except ValueError:
            problems.append("jti")
        if abs(int(claims.get("iat", 0)) - time.time()) > 300:
            problems.append("iat")
        events = claims.get("events", {})
        if len(events) != 1:
            problems.append("events")
        if problems:
            self.refused_events.append((422, ",".join(problems)))
            return 422, {"error": f"claims: {problems}"}, js
        name, content = next(iter(events.items()))
        if stored.state != "submitted":
            self.refused_events.append((409, name))
            return 409, {"error": f"submission is {stored.state}"}, js
        if name == EVENTS + "accept-submission":
            expected = {
                "metadata": stored.metadata.rsplit(".", 1)[-1],
                "data": stored.data.rsplit(".", 1)[-1],
                "attachments": {a: c.rsplit(".", 1)[-1] for a, c in stored.attachments.items()},
            }
            if content.get("authenticationTags") != expected:
                self.refused_events.append((422, "authenticationTags"))
                return 422, {"error": "authenticationTags do not match"}, js
            stored.state = "accepted"
        elif name == EVENTS + "reject-submission":
            if not content.get("problems"):
                return 422, {"error": "problems missing"}, js
            stored.state = "rejected"
        else:
            return 422, {"error": f"unknown event {name}"}, js
        stored.event_log.append(compact)
        self.received_events.append({"claims": claims, "header": header})
        return 204, b"", js
