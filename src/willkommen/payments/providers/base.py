"""The provider interface: what willkommen needs of any online payment service.

Shaped by two providers that work differently — XBezahldienste (JSON over REST,
HTTP Basic, states by name) and GiroCheckout (form posts signed with HMAC-MD5,
numeric result codes, a signed notification) — so that neither leaks into the
services: they see ``start``, ``status`` and ``notification`` only.
"""

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Order:
    """What to charge: built by the services from a payment."""

    request_id: str
    amount_cents: int
    purpose: str  # ≤ 27 characters: what the bank statement shows
    description: str  # ≤ 250
    return_url: str  # where the applicant's browser comes back to (carries nothing to trust)
    notify_url: str = ""
    language: str = "de"
    items: list[tuple[str, int]] = field(default_factory=list)  # (text, cents)


@dataclass(frozen=True)
class Started:
    reference: str  # the provider's id of the transaction
    payment_url: str  # the page the applicant is sent to


class ProviderError(Exception):
    """The provider refused or could not be reached; nothing was charged by us."""

    def __init__(self, message: str, code: str = ""):
        self.code = code
        super().__init__(message)


class UnknownProviderState(ProviderError):
    """The provider answered with a state this adapter does not know: nothing is changed."""


class ForgedNotification(ProviderError):
    """A notification whose signature does not verify."""


class Provider(Protocol):
    name: str

    def start(self, order: Order) -> Started: ...

    def status(self, *, reference: str, request_id: str) -> str:
        """The payment's state as ``states.Status`` (read server-side, never from a redirect)."""
        ...

    def notification(self, params) -> str:
        """The request id a (verified) notification is about; ForgedNotification otherwise."""
        ...
