"""The waiting ticket: its public address and the QR code printed on it."""

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from willkommen.frontdesk.models import Visit


def public_url(request, visit: Visit) -> str:
    """Where the QR code leads: the public ticket page, in the language of the desk."""
    with translation.override(translation.get_language() or "de"):
        path = reverse("frontdesk:ticket", kwargs={"token": visit.token})
    return f"{settings.PUBLIC_BASE_URL}{path}"


def qr_svg(request, visit: Visit) -> str:
    """An inline SVG QR code (no external image request, prints sharply on thermal paper)."""
    return segno.make(public_url(request, visit), error="m").svg_inline(
        scale=4, border=2, title=f"{visit.ticket}"
    )
