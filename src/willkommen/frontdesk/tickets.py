"""The waiting ticket: its prefix and number, its public address and the QR code printed on it."""

import segno
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import translation

from willkommen.catalog.models import Location, Service
from willkommen.frontdesk.models import TicketCounter, TicketSeries, Visit


def ticket_prefix(service: Service) -> str:
    """The letter of the service's group (its ticket series), shown before the number."""
    series = TicketSeries.objects.filter(category_id=service.category_id).first()
    if series is not None:
        return series.prefix
    # Without a configured series the group's initial keeps groups apart well enough.
    return (service.category.slug[:1] or "W").upper()


def next_number(location: Location, day, prefix: str) -> int:
    """The next number of (location, day, prefix), race-free inside the caller's transaction."""
    try:
        with transaction.atomic():
            TicketCounter.objects.get_or_create(location=location, day=day, prefix=prefix)
    except IntegrityError:  # another transaction created it a moment ago
        pass
    # The UPDATE holds the row lock (PostgreSQL) / write lock (SQLite) until commit.
    TicketCounter.objects.filter(location=location, day=day, prefix=prefix).update(
        last_number=F("last_number") + 1
    )
    return (
        TicketCounter.objects.filter(location=location, day=day, prefix=prefix)
        .values_list("last_number", flat=True)
        .get()
    )


def public_url(request, visit: Visit, language: str | None = None) -> str:
    """Where the QR code leads: the public ticket page, in the ticket's language."""
    with translation.override(language or visit.language):
        path = reverse("frontdesk:ticket", kwargs={"token": visit.token})
    return f"{settings.PUBLIC_BASE_URL}{path}"


def qr_svg(request, visit: Visit, language: str | None = None) -> str:
    """An inline SVG QR code (no external image request, prints sharply on thermal paper)."""
    return segno.make(public_url(request, visit, language), error="m").svg_inline(
        scale=4, border=2, title=f"{visit.ticket}"
    )
