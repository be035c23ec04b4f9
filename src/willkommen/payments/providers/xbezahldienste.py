"""XBezahldienste (FITKO): the federal payment standard for online services.

POST /paymenttransaction/{originatorId}/{endPointId} creates a transaction
(requestId ≤ 36, currency EUR, grossAmount, purpose ≤ 27, description ≤ 250,
redirectUrl, 1–99 items) and answers with its ``paymentInformation``
(transactionId, the payment page, status INITIAL). The state is read with
GET …/{transactionId}: INITIAL, PAYED, CANCELED or FAILED. The platform
operator's credentials go as HTTP Basic (how a Land's platform authenticates
originators differs; see docs/payments.md). XBezahldienste sends no signed
notification, so the return page always asks for the state.
"""

import json

import httpx

from willkommen.payments.providers.base import Order, ProviderError, Started, UnknownProviderState
from willkommen.payments.states import Status

STATES = {status.value for status in Status}


class XBezahldienste:
    name = "xbezahldienste"

    def __init__(self, *, base_url, originator_id, endpoint_id, username, password, timeout=10):
        self.base = base_url.rstrip("/")
        self.path = f"/paymenttransaction/{originator_id}/{endpoint_id}"
        self.auth = (username, password)
        self.timeout = timeout

    def _call(self, method, url, **kwargs):
        try:
            response = httpx.request(method, url, auth=self.auth, timeout=self.timeout, **kwargs)
        except httpx.HTTPError as error:
            raise ProviderError(f"XBezahldienste not reachable: {error}") from error
        if response.status_code >= 400:
            try:
                code = response.json().get("errorCode", "")
            except ValueError:
                code = ""
            raise ProviderError(f"XBezahldienste answered {response.status_code} {code}", code)
        try:
            return response.json()
        except ValueError as error:
            raise ProviderError("XBezahldienste answered no JSON") from error

    def start(self, order: Order) -> Started:
        items = order.items or [(order.purpose, order.amount_cents)]
        body = {
            "requestId": order.request_id,
            "currency": "EUR",
            "grossAmount": order.amount_cents / 100,
            "purpose": order.purpose[:27],
            "description": order.description[:250],
            "redirectUrl": order.return_url,
            "items": [
                {"id": str(n), "quantity": 1, "description": text[:250], "total": cents / 100}
                for n, (text, cents) in enumerate(items[:99], start=1)
            ],
        }
        answer = self._call(
            "POST",
            self.base + self.path,
            content=json.dumps(body),
            headers={"Content-Type": "application/json"},
        )
        info = answer.get("paymentInformation") or {}
        if not info.get("transactionId") or not info.get("transactionRedirectUrl"):
            raise ProviderError("XBezahldienste answered without a transaction")
        return Started(info["transactionId"], info["transactionRedirectUrl"])

    def status(self, *, reference: str, request_id: str) -> str:
        answer = self._call("GET", f"{self.base}{self.path}/{reference}")
        state = (answer.get("paymentInformation") or {}).get("status")
        if state not in STATES:
            raise UnknownProviderState(f"XBezahldienste state {state!r}", "unknown_state")
        return state

    def notification(self, params) -> str:
        raise ProviderError("XBezahldienste sends no notifications")
