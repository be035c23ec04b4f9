"""The waiting ticket: its prefix and number, its public address and the QR code printed on it."""

import io
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from willkommen.catalog.models import Location, Service
from willkommen.core.dates import format_date
from willkommen.core.i18n import supported_language, tr
from willkommen.core.pdf import OfficePDF
from willkommen.frontdesk.models import Priority, TicketCounter, TicketSeries, Visit


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


# A ticket printer's roll: 80 mm wide; the page is as long as a ticket needs.
TICKET_PAGE = (80, 150)


def ticket_language(visit: Visit, requested: str | None = None) -> str:
    """The language a ticket is printed in: the one the desk asks for, else the
    visit's (the applicant's, taken from the booking or asked at reception)."""
    return supported_language(requested) or visit.language


def ticket_pdf(visit: Visit, language: str | None = None) -> bytes:
    """The ticket as PDF in ``language``: number, service, time, the QR code of its page."""
    language = ticket_language(visit, language)
    with translation.override(language):
        pdf = OfficePDF(
            _("Ticket %(ticket)s") % {"ticket": visit.ticket},
            footer_text=tr(visit.location.name),
            page_size=TICKET_PAGE,
            margins=(6, 6),
        )
        pdf.paragraph(tr(visit.location.name), size=9)
        pdf.paragraph(_("Your number"), size=11)
        pdf.heading(visit.ticket, size=36)
        pdf.paragraph(tr(visit.service.name), size=11, bold=True)
        if visit.priority == Priority.EMERGENCY:
            pdf.paragraph(_("Emergency"), size=11, bold=True)
        local = visit.created_at.astimezone(ZoneInfo(visit.location.timezone))
        pdf.paragraph(format_date(local, "short_datetime"), size=9)
        png = io.BytesIO()
        # The QR code leads to the ticket page in the ticket's language.
        segno.make(public_url(None, visit), error="m").save(png, kind="png", scale=5, border=2)
        png.seek(0)
        pdf.picture(png, width=30)
        pdf.ln(2)
        pdf.paragraph(
            _(
                "Scan to see your place in the queue. Please watch the screen in the waiting "
                "room: your number is called there with the room."
            ),
            size=8,
        )
        return pdf.render()
