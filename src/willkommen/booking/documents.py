"""What an applicant takes along: QR code, calendar file, PDF confirmation."""

import functools
import io
from dataclasses import dataclass
from datetime import UTC
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _

from willkommen.catalog.selectors import personal_checklist
from willkommen.core.dates import format_date
from willkommen.core.i18n import active_language, language_tag, tr
from willkommen.core.pdf import OfficePDF


def qr_code(appointment) -> segno.QRCode:
    # Only the reference: reception scans it, and it opens nothing on its own.
    return segno.make(appointment.reference, error="m", micro=False)


def qr_svg_data_uri(appointment) -> str:
    return qr_code(appointment).svg_data_uri(scale=6, border=2)


def local_start(appointment):
    return appointment.starts_at.astimezone(ZoneInfo(appointment.location.timezone))


def when_text(appointment) -> str:
    """The time as the mails and the PDF give it, in the active language
    ("Donnerstag, 11. März 2027 09:00–09:15")."""
    return _when_text(
        appointment.starts_at,
        appointment.ends_at,
        appointment.location.timezone,
        translation.get_language(),
    )


@functools.lru_cache(maxsize=1024)
def _when_text(starts_at, ends_at, timezone: str, language: str) -> str:
    # Remembered: each hold and each confirmation mails it, a rush books the same few
    # times hundreds of times, and Django's date formatting is slow. ``language`` is
    # the active one, passed in so that it is part of the key.
    start = starts_at.astimezone(ZoneInfo(timezone))
    end = ends_at.astimezone(start.tzinfo)
    return "{} {}–{}".format(
        format_date(start, "weekday", language),
        formats.time_format(start, "H:i"),
        formats.time_format(end, "H:i"),
    )


def address_of(location) -> str:
    return f"{location.street}, {location.postcode} {location.city}"


@dataclass(frozen=True)
class OpenQuestion:
    """A checklist question the applicant did not answer, with what each answer asks for:
    the two sides exclude each other, so they are never listed as both to bring."""

    question: dict
    if_yes: list
    if_no: list

    def text(self) -> str:
        return alternatives_text(self)


@dataclass(frozen=True)
class BookingChecklist:
    items: list  # what to bring, decided by the answers given at booking
    questions: list[OpenQuestion]  # unanswered questions and their alternatives


def checklist_items(appointment) -> BookingChecklist:
    checklist = personal_checklist(appointment.service, appointment.checklist_answers or {})
    questions: dict[int, OpenQuestion] = {}
    for item in checklist.undecided:
        condition = item.condition
        question = questions.setdefault(condition.pk, OpenQuestion(condition.question, [], []))
        (question.if_yes if item.applies_when else question.if_no).append(item)
    return BookingChecklist(items=checklist.items, questions=list(questions.values()))


def alternatives_text(question: OpenQuestion) -> str:
    """One line for an unanswered question: "Question? If yes: A. If no: B." """

    def titles(items):
        return ", ".join(f"{tr(item.title)} ({item.get_form_display()})" for item in items)

    parts = [tr(question.question)]
    if question.if_yes:
        parts.append(_("If yes: %(documents)s.") % {"documents": titles(question.if_yes)})
    if question.if_no:
        parts.append(_("If no: %(documents)s.") % {"documents": titles(question.if_no)})
    return " ".join(parts)


def calendar_file(appointment, *, cancelled: bool = False) -> bytes:
    """The appointment as an iCalendar file (RFC 5545): one event, times in UTC.

    ``cancelled`` makes the cancellation (RFC 5546 ``METHOD:CANCEL``): the same UID
    and a higher SEQUENCE (every cancel and move raises ``link_version``), so that
    calendar programs remove the event they added from the confirmation.

    Written here rather than with a calendar library: every confirmation and every
    move carries one, and the library's general machinery cost about 0.7 ms of CPU a
    file, a tenth of a confirmation in a booking rush. The tests read the file back
    with that library (icalendar).
    """
    domain = settings.PUBLIC_BASE_URL.split("//")[-1].split("/")[0].split(":")[0] or "localhost"
    # The texts are in the active language (the applicant's, in a mail): say which,
    # so calendar programs and screen readers read them right (RFC 5545, 3.2.10).
    language = f"LANGUAGE={language_tag(active_language())}"
    summary = f"{settings.OFFICE_NAME}: {tr(appointment.service.name)} ({appointment.reference})"
    place = f"{tr(appointment.location.name)}, {address_of(appointment.location)}"
    description = _(
        "Booking reference: %(reference)s. Please bring the documents on your checklist."
    ) % {"reference": appointment.reference}
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//willkommen//booking//DE",
        "METHOD:CANCEL" if cancelled else "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{_ical_text(appointment.reference)}@{domain}",
        f"SEQUENCE:{int(appointment.link_version)}",
        f"DTSTAMP:{_ical_utc(appointment.created_at)}",
        f"DTSTART:{_ical_utc(appointment.starts_at)}",
        f"DTEND:{_ical_utc(appointment.ends_at)}",
        f"SUMMARY;{language}:{_ical_text(summary)}",
        f"LOCATION;{language}:{_ical_text(place)}",
        f"DESCRIPTION;{language}:{_ical_text(description)}",
        *(["STATUS:CANCELLED"] if cancelled else []),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_ical_folded(line) + "\r\n" for line in lines).encode()


def _ical_utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _ical_text(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _ical_folded(line: str, limit: int = 75) -> str:
    """Lines longer than 75 octets folded (RFC 5545 3.1), never inside a UTF-8 character."""
    if len(line.encode()) <= limit:
        return line
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            current, size = " ", 1  # a continuation line starts with one space
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def confirmation_pdf(appointment) -> bytes:
    pdf = OfficePDF(
        title=_("Appointment confirmation %(reference)s") % {"reference": appointment.reference},
        footer_text=appointment.reference,
    )
    pdf.heading(_("Your appointment"))
    pdf.paragraph(tr(appointment.service.name), size=12, bold=True)
    pdf.paragraph(when_text(appointment))
    pdf.paragraph(f"{tr(appointment.location.name)}, {address_of(appointment.location)}")
    pdf.paragraph(
        _("Booking reference: %(reference)s") % {"reference": appointment.reference}, bold=True
    )
    pdf.paragraph(
        _("Persons: %(persons)s · Name: %(name)s")
        % {"persons": appointment.persons, "name": appointment.applicant_name}
    )
    png = io.BytesIO()
    qr_code(appointment).save(png, kind="png", scale=6, border=2)
    png.seek(0)
    pdf.picture(png, width=35)
    pdf.ln(4)
    checklist = checklist_items(appointment)
    pdf.heading(_("Documents to bring"), size=13)
    if not checklist.items and not checklist.questions:
        pdf.paragraph(_("Please bring your passport or identity document."))
    for item in checklist.items:
        pdf.checkbox(f"{tr(item.title)} ({item.get_form_display()})")
    for question in checklist.questions:
        pdf.checkbox(question.text())
    pdf.ln(2)
    pdf.paragraph(
        _(
            "Please be on time. If you cannot come, cancel the appointment "
            "with the link in your e-mail."
        )
    )
    return pdf.render()
