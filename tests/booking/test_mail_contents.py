"""What the booking mails carry (issue 16): the PDF, the cancellation for the calendar,
and a plain word on where the applicant follows the matter."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from pypdf import PdfReader

from willkommen.booking import services
from willkommen.booking.models import Channel
from willkommen.core import outbox
from willkommen.core.models import OutboxMail

BERLIN = ZoneInfo("Europe/Berlin")
THURSDAY_9 = datetime(2027, 3, 11, 9, 0, tzinfo=BERLIN)
MANAGED_BY_LINK = "nur mit dem Link"


def book_by_staff(office, language="de"):
    return services.book(
        location=office.location,
        service=office.service,
        persons=1,
        starts_at=THURSDAY_9,
        applicant=services.Applicant("Ada Muster", "ada@example.org"),
        channel=Channel.STAFF,
        language=language,
    )


@pytest.fixture
def booked(office):
    return book_by_staff(office)


def attachments(mail):
    return {a.filename: a for a in mail.attachments.all()}


def event_of(content: bytes):
    calendar = icalendar.Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_the_confirmation_mail_carries_the_pdf_it_promises(booked, mailoutbox):
    mail = OutboxMail.objects.get(dedupe_key__contains=":confirmed:")
    pdf = attachments(mail)[f"{booked.reference}.pdf"]
    assert "angehängte PDF" in mail.body
    # Rendered by the worker when the mail leaves, not in the booking's request.
    assert pdf.builder == "booking.confirmation_pdf" and bytes(pdf.content) == b""

    assert outbox.deliver(mail.pk)

    (sent,) = [m for m in mailoutbox if m.subject == mail.subject]
    files = {name: (content, mimetype) for name, content, mimetype in sent.attachments}
    content, mimetype = files[f"{booked.reference}.pdf"]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert booked.reference in PdfReader(io.BytesIO(content)).pages[0].extract_text()
    # Kept once rendered: a retry after a crash sends the same bytes.
    pdf.refresh_from_db()
    assert bytes(pdf.content) == content


def test_a_failing_pdf_is_a_failed_send_and_is_retried(booked, monkeypatch):
    mail = OutboxMail.objects.get(dedupe_key__contains=":confirmed:")

    def broken(**_arguments):
        raise RuntimeError("font missing")

    monkeypatch.setitem(outbox._builders, "booking.confirmation_pdf", broken)
    assert not outbox.deliver(mail.pk)
    mail.refresh_from_db()
    assert mail.status == OutboxMail.Status.PENDING and mail.attempts == 1
    assert "font missing" in mail.last_error


def test_cancellation_mail_removes_the_event_from_the_calendar(booked):
    confirmation = OutboxMail.objects.get(dedupe_key__contains=":confirmed:")
    _calendar, added = event_of(bytes(attachments(confirmation)[f"{booked.reference}.ics"].content))
    services.cancel(booked)
    mail = OutboxMail.objects.get(dedupe_key__endswith=":cancelled")
    calendar, removed = event_of(bytes(attachments(mail)[f"{booked.reference}.ics"].content))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(removed["UID"]) == str(added["UID"])
    assert int(removed["SEQUENCE"]) > int(added["SEQUENCE"])
    assert str(removed["STATUS"]) == "CANCELLED"


def test_booking_and_emergency_mails_say_where_the_matter_is_followed(office, booked, client):
    confirmation = OutboxMail.objects.get(dedupe_key__contains=":confirmed:")
    assert booked.reference in confirmation.body and MANAGED_BY_LINK in confirmation.body
    services.submit_emergency_request(
        location=office.location,
        service=office.service,
        reason="expires_soon",
        permit_expires_on=THURSDAY_9.date(),
        applicant=services.Applicant("Ada Muster", "ada2@example.org"),
    )
    received = OutboxMail.objects.get(to="ada2@example.org")
    assert MANAGED_BY_LINK in received.body and "Statusseite" in received.body
    status_page = client.get("/de/status/").content.decode()
    assert MANAGED_BY_LINK in status_page


def test_english_booking_pages_and_mails_write_english_dates(client, office):
    day = THURSDAY_9.date()
    page = client.get(
        f"/en/appointments/{office.location.slug}/{office.service.slug}/{day.isoformat()}/?persons=1"
    ).content.decode()
    assert "Thursday, 11 March 2027" in page and "11. March" not in page
    book_by_staff(office, language="en")
    assert "Thursday, 11 March 2027 09:00" in OutboxMail.objects.get(to="ada@example.org").body
