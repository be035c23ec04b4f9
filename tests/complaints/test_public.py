"""The public form: stored, acknowledged in the person's language, protected, anonymous allowed."""

import altcha
import pytest

from willkommen.complaints.models import Complaint, ComplaintLetter, Status
from willkommen.core.models import OutboxMail

pytestmark = pytest.mark.django_db

FORM = {
    "category": "waiting_time",
    "message": "I waited three hours although I had an appointment.",
    "email": "person@example.org",
    "name": "Olena",
    "consent": "on",
}


def test_a_complaint_is_stored_and_acknowledged_in_the_persons_language(client):
    response = client.post("/en/beschwerde/", FORM)
    assert response.status_code == 302 and response["Location"] == "/en/beschwerde/danke/"
    complaint = Complaint.objects.get()
    assert complaint.reference.startswith("BES-") and complaint.language == "en"
    assert complaint.status == Status.ACKNOWLEDGED
    assert [e.action for e in complaint.events.all()] == ["submit", "acknowledge"]
    mail = OutboxMail.objects.get()
    assert mail.to == "person@example.org" and mail.language == "en"
    assert complaint.reference in mail.subject and complaint.reference in mail.body
    assert "We have received your complaint" in mail.body
    letter = ComplaintLetter.objects.get()
    assert letter.kind == "ack" and letter.body == mail.body
    page = client.get(response["Location"]).content.decode()
    assert complaint.reference in page and "confirmation" in page


def test_arabic_acknowledgement(client):
    client.post("/ar/beschwerde/", FORM)
    mail = OutboxMail.objects.get()
    assert mail.language == "ar" and "BES-" in mail.body
    assert "We have received" not in mail.body


def test_anonymous_complaints_are_taken_without_a_reply(client):
    response = client.post("/de/beschwerde/", {**FORM, "email": "", "name": ""})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.status == Status.RECEIVED and not complaint.can_be_answered
    assert not OutboxMail.objects.exists()
    assert "nicht antworten" in client.get(response["Location"]).content.decode()


def test_a_given_reference_links_the_appointment_and_its_team(client):
    from tests.booking.factories import AppointmentFactory

    appointment = AppointmentFactory()
    client.post("/de/beschwerde/", {**FORM, "reference": appointment.reference.lower()})
    complaint = Complaint.objects.get()
    assert complaint.appointment == appointment
    assert complaint.team == (appointment.capacity_team or appointment.service.team)


def test_bad_input_is_refused_in_the_page_language_and_stores_nothing(client):
    response = client.post("/fr/beschwerde/", {"category": "nonsense", "email": "kein"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ce champ est obligatoire." in body
    assert not Complaint.objects.exists() and not OutboxMail.objects.exists()


def test_without_a_solved_proof_of_work_nothing_is_stored(client, settings):
    settings.ALTCHA_ENABLED = True
    assert "<altcha-widget" in client.get("/de/beschwerde/").content.decode()
    assert client.post("/de/beschwerde/", FORM).status_code == 400
    assert not Complaint.objects.exists()
    challenge = altcha.Challenge.from_dict(client.get("/api/v1/altcha/challenge").json())
    payload = altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()
    assert client.post("/de/beschwerde/", {**FORM, "altcha": payload}).status_code == 302


def test_the_form_is_rate_limited_per_address(client, settings):
    settings.PUBLIC_FORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 2
    for _attempt in range(2):
        client.post("/de/beschwerde/", {**FORM, "email": ""})
    assert client.post("/de/beschwerde/", {**FORM, "email": ""}).status_code == 429
    assert Complaint.objects.count() == 2


def test_the_start_page_links_the_form(client, demo_catalog):
    assert 'href="/de/beschwerde/"' in client.get("/de/").content.decode()
