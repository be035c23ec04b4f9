"""The checklist answers an applicant gave reach the booking, its pages, mail and PDF
(issue 16); items that exclude each other are never both listed."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from tests.catalog.factories import ChecklistConditionFactory, ChecklistItemFactory
from willkommen.booking import documents, links, services
from willkommen.booking.models import Appointment
from willkommen.core.models import OutboxMail

BERLIN = ZoneInfo("Europe/Berlin")
THURSDAY_9 = datetime(2027, 3, 11, 9, 0, tzinfo=BERLIN)
EXPIRED = "Ersatzpapier wegen abgelaufenem Pass"
VALID = "Gültiger Reisepass"


@pytest.fixture
def passport_question(office):
    condition = ChecklistConditionFactory(
        key="no_valid_passport", question={"de": "Ist Ihr Pass abgelaufen?", "en": "Expired?"}
    )
    ChecklistItemFactory(
        service=office.service, title={"de": VALID}, condition=condition, applies_when=False
    )
    ChecklistItemFactory(
        service=office.service, title={"de": EXPIRED}, condition=condition, applies_when=True
    )
    return condition


def book_through_pages(client, office, answer):
    url = (
        f"/de/appointments/{office.location.slug}/{office.service.slug}/book/"
        f"?persons=1&start={int(THURSDAY_9.timestamp())}"
    )
    form = {"name": "Ada Muster", "email": "ada@example.org", "consent": "on"}
    if answer:
        form["answer-no_valid_passport"] = answer
    assert client.post(url, form).status_code == 200
    appointment = Appointment.objects.get()
    token = links.make_token(appointment, links.CONFIRM)
    manage = client.post(f"/de/appointments/confirm/{token}/", follow=True)
    return Appointment.objects.get(), manage.content.decode()


def pdf_text(appointment) -> str:
    from io import BytesIO

    from django.utils import translation

    with translation.override("de"):
        data = documents.confirmation_pdf(appointment)
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_the_personal_checklist_links_to_booking_with_its_answers(
    client, office, passport_question
):
    page = client.get(
        f"/de/services/{office.service.slug}/checklist/?no_valid_passport=yes"
    ).content.decode()
    link = re.search(r'href="(/de/appointments/\?service=\d+[^"]*)"', page).group(1)
    assert "no_valid_passport=yes" in link
    client.get(link.replace("&amp;", "&"))
    details = client.get(
        f"/de/appointments/{office.location.slug}/{office.service.slug}/book/"
        f"?persons=1&start={int(THURSDAY_9.timestamp())}"
    ).content.decode()
    assert re.search(r'name="answer-no_valid_passport" value="yes"[^>]*checked', details)
    appointment, manage = book_through_pages(client, office, "yes")
    assert appointment.checklist_answers == {"no_valid_passport": True}
    assert EXPIRED in manage and VALID not in manage
    mail = OutboxMail.objects.filter(subject__contains="gebucht").get()
    assert EXPIRED in mail.body and VALID not in mail.body
    text = pdf_text(appointment)
    assert "Ersatzpapier" in text and "Gültiger" not in text


def test_unanswered_exclusive_items_are_one_question_not_two_documents(
    client, office, passport_question
):
    appointment, _manage = book_through_pages(client, office, None)
    mail = OutboxMail.objects.filter(subject__contains="gebucht").get().body
    lines = [line for line in mail.splitlines() if VALID in line or EXPIRED in line]
    assert len(lines) == 1 and "Ist Ihr Pass abgelaufen?" in lines[0]
    checklist = documents.checklist_items(appointment)
    assert checklist.items == [] and len(checklist.questions) == 1


def test_staff_bookings_keep_answers_given_to_the_service(office, passport_question):
    appointment = services.book(
        location=office.location,
        service=office.service,
        persons=1,
        starts_at=THURSDAY_9,
        applicant=services.Applicant("Ada", "ada@example.org"),
        channel="staff",
        checklist_answers={"no_valid_passport": False},
    )
    titles = [item.title["de"] for item in documents.checklist_items(appointment).items]
    assert titles == [VALID]
