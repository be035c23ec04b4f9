"""The configured payment provider (settings/payments.py), built on first use."""

from django.conf import settings

from willkommen.payments.providers.base import (
    ForgedNotification,
    Order,
    Provider,
    ProviderError,
    Started,
    UnknownProviderState,
)
from willkommen.payments.providers.girocheckout import GiroCheckout
from willkommen.payments.providers.xbezahldienste import XBezahldienste

__all__ = [
    "ForgedNotification",
    "Order",
    "Provider",
    "ProviderError",
    "Started",
    "UnknownProviderState",
    "configured",
    "get",
]


def get(name: str) -> Provider:
    """The adapter ``name`` with its settings; ProviderError when it is not configured."""
    if name == XBezahldienste.name and settings.XBEZAHLDIENSTE_BASE_URL:
        return XBezahldienste(
            base_url=settings.XBEZAHLDIENSTE_BASE_URL,
            originator_id=settings.XBEZAHLDIENSTE_ORIGINATOR_ID,
            endpoint_id=settings.XBEZAHLDIENSTE_ENDPOINT_ID,
            username=settings.XBEZAHLDIENSTE_USERNAME,
            password=settings.XBEZAHLDIENSTE_PASSWORD,
            timeout=settings.PAYMENTS_PROVIDER_TIMEOUT_SECONDS,
        )
    if name == GiroCheckout.name and settings.GIROCHECKOUT_BASE_URL:
        return GiroCheckout(
            base_url=settings.GIROCHECKOUT_BASE_URL,
            merchant_id=settings.GIROCHECKOUT_MERCHANT_ID,
            project_id=settings.GIROCHECKOUT_PROJECT_ID,
            secret=settings.GIROCHECKOUT_SECRET,
            timeout=settings.PAYMENTS_PROVIDER_TIMEOUT_SECONDS,
        )
    raise ProviderError(f"payment provider {name!r} is not configured")


def configured() -> str:
    """The provider online payments use now ("" when online payment is off)."""
    return settings.PAYMENTS_PROVIDER
