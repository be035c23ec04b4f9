"""GiroCheckout (S-Payment): the second adapter, signed with HMAC-MD5.

Every request carries ``hash``: HMAC-MD5, keyed with the project's secret, over
the parameter values concatenated in the order the specification lists them;
every answer carries the same over its body in the ``hash`` header, and the
notification (and redirect) parameters ``gcReference, gcMerchantTxId,
gcBackendTxId, gcAmount, gcCurrency, gcResultPayment`` are signed as ``gcHash``.
``resultPayment`` 4000 is a successful payment; 4502 (the payer cancelled, as we
read the code list) is CANCELED; any other 4xxx is FAILED; no result yet is
INITIAL; anything else is an unknown state.
"""

import hashlib
import hmac

import httpx

from willkommen.payments.providers.base import (
    ForgedNotification,
    Order,
    ProviderError,
    Started,
    UnknownProviderState,
)
from willkommen.payments.states import Status

START_FIELDS = (
    "merchantId", "projectId", "merchantTxId", "amount", "currency", "purpose",
    "urlRedirect", "urlNotify",
)  # fmt: skip
STATUS_FIELDS = ("merchantId", "projectId", "reference")
NOTIFY_FIELDS = (
    "gcReference", "gcMerchantTxId", "gcBackendTxId", "gcAmount", "gcCurrency", "gcResultPayment",
)  # fmt: skip
SUCCESS = 4000
CANCELLED = 4502


def sign(secret: str, values) -> str:
    """HMAC-MD5 over the values in order, as GiroCheckout's ``hash``."""
    message = "".join(str(value) for value in values).encode()
    return hmac.new(secret.encode(), message, hashlib.md5).hexdigest()


def state_of(result) -> str:
    if result in (None, ""):
        return Status.INITIAL
    try:
        code = int(result)
    except (TypeError, ValueError):
        raise UnknownProviderState(f"GiroCheckout result {result!r}", "unknown_state") from None
    if code == SUCCESS:
        return Status.PAYED
    if code == CANCELLED:
        return Status.CANCELED
    if 4000 < code < 5000:
        return Status.FAILED
    raise UnknownProviderState(f"GiroCheckout result {code}", "unknown_state")


class GiroCheckout:
    name = "girocheckout"

    def __init__(self, *, base_url, merchant_id, project_id, secret, timeout=10):
        self.base = base_url.rstrip("/")
        self.merchant_id = str(merchant_id)
        self.project_id = str(project_id)
        self.secret = secret
        self.timeout = timeout

    def _post(self, path, fields, values: dict) -> dict:
        values = {"merchantId": self.merchant_id, "projectId": self.project_id, **values}
        ordered = {name: values[name] for name in fields if name in values}
        ordered["hash"] = sign(self.secret, ordered.values())
        try:
            response = httpx.post(self.base + path, data=ordered, timeout=self.timeout)
        except httpx.HTTPError as error:
            raise ProviderError(f"GiroCheckout not reachable: {error}") from error
        if response.status_code >= 400:
            raise ProviderError(f"GiroCheckout answered {response.status_code}")
        expected = hmac.new(self.secret.encode(), response.content, hashlib.md5).hexdigest()
        if not hmac.compare_digest(expected, response.headers.get("hash", "")):
            raise ForgedNotification("GiroCheckout answer with a wrong hash", "forged")
        answer = response.json()
        if int(answer.get("rc", -1)) != 0:
            raise ProviderError(f"GiroCheckout rc {answer.get('rc')}: {answer.get('msg')}")
        return answer

    def start(self, order: Order) -> Started:
        answer = self._post(
            "/girocheckout/api/v2/transaction/start",
            START_FIELDS,
            {
                "merchantTxId": order.request_id,
                "amount": order.amount_cents,
                "currency": "EUR",
                "purpose": order.purpose[:27],
                "urlRedirect": order.return_url,
                "urlNotify": order.notify_url,
            },
        )
        if not answer.get("reference") or not answer.get("redirect"):
            raise ProviderError("GiroCheckout answered without a transaction")
        return Started(answer["reference"], answer["redirect"])

    def status(self, *, reference: str, request_id: str) -> str:
        answer = self._post(
            "/girocheckout/api/v2/transaction/status", STATUS_FIELDS, {"reference": reference}
        )
        return state_of(answer.get("resultPayment"))

    def notification(self, params) -> str:
        expected = sign(self.secret, (params.get(name, "") for name in NOTIFY_FIELDS))
        if not hmac.compare_digest(expected, params.get("gcHash", "")):
            raise ForgedNotification("GiroCheckout notification with a wrong gcHash", "forged")
        return params.get("gcMerchantTxId", "")
