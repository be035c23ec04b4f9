"""Every public POST has the one protection of core/protection.py (issue 16)."""

import json

import altcha
import pytest

from willkommen.booking.models import EmergencyRequest
from willkommen.core.models import OutboxMail

STRANGER = "stranger@example.org"


def emergency_form(office, email=STRANGER):
    return {
        "reason": "expires_soon", "permit_expires_on": "2027-03-20", "service": office.service.pk,
        "location": office.location.pk, "persons": 1, "name": "Someone",
        "email": email, "consent": "on",
    }  # fmt: skip


def solved_payload(client) -> str:
    challenge = altcha.Challenge.from_dict(client.get("/api/v1/altcha/challenge").json())
    return altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()


def test_25_emergency_requests_from_one_address_do_not_send_25_mails(client, office, settings):
    answers = [
        client.post("/de/appointments/emergency/", emergency_form(office)).status_code
        for _ in range(25)
    ]
    mails = OutboxMail.objects.filter(to=STRANGER).count()
    assert 1 <= mails <= settings.PUBLIC_FORM_SUBMISSIONS_PER_EMAIL_PER_DAY
    assert EmergencyRequest.objects.count() == mails
    assert answers.count(200) == mails and set(answers[mails:]) == {429}


def test_the_limit_per_address_holds_whatever_the_e_mail(client, office, settings):
    for number in range(15):
        client.post("/de/appointments/emergency/", emergency_form(office, f"p{number}@example.org"))
    assert EmergencyRequest.objects.count() == settings.PUBLIC_FORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR


def test_the_limit_per_target_e_mail_holds_across_addresses_and_forms(client, office, settings):
    limit = settings.PUBLIC_FORM_SUBMISSIONS_PER_EMAIL_PER_DAY
    for number in range(limit + 5):
        client.post(
            "/de/appointments/emergency/",
            emergency_form(office),
            REMOTE_ADDR=f"198.51.100.{number}",
        )
    assert OutboxMail.objects.filter(to=STRANGER).count() == limit
    # Another form may not send the same stranger more either.
    refused = client.post("/de/contact/", {"email": STRANGER}, REMOTE_ADDR="203.0.113.9")
    assert refused.status_code in {400, 429}
    assert OutboxMail.objects.filter(to=STRANGER).count() == limit


def test_the_refusal_is_a_page_in_the_page_language(client, office, settings):
    settings.PUBLIC_FORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 1
    client.post("/en/appointments/emergency/", emergency_form(office))
    refused = client.post("/en/appointments/emergency/", emergency_form(office))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many attempts" in refused.content.decode()
    refused_de = client.post("/de/appointments/emergency/", emergency_form(office))
    assert "Zu viele Versuche" in refused_de.content.decode()


@pytest.mark.parametrize("path", ["/de/appointments/emergency/", "/en/appointments/emergency/"])
def test_emergency_requests_need_the_proof_of_work(client, office, settings, path):
    settings.ALTCHA_ENABLED = True
    settings.ALTCHA_COST = 1
    page = client.get(path).content.decode()
    assert "<altcha-widget" in page
    refused = client.post(path, emergency_form(office))
    assert refused.status_code == 400 and not EmergencyRequest.objects.exists()
    assert not OutboxMail.objects.exists()
    accepted = client.post(path, {**emergency_form(office), "altcha": solved_payload(client)})
    assert accepted.status_code == 200 and EmergencyRequest.objects.count() == 1


def test_refused_proofs_do_not_use_up_the_strangers_allowance(client, office, settings):
    settings.ALTCHA_ENABLED = True
    settings.ALTCHA_COST = 1
    for number in range(10):
        client.post(
            "/de/appointments/emergency/", emergency_form(office), REMOTE_ADDR=f"192.0.2.{number}"
        )
    form = {**emergency_form(office), "altcha": solved_payload(client)}
    assert client.post("/de/appointments/emergency/", form).status_code == 200


def test_api_link_actions_are_rate_limited_with_429_json(client, office, settings):
    settings.BOOKING_LINK_ACTIONS_PER_IP_PER_HOUR = 2
    body = json.dumps({"token": "x" * 20})
    answers = [
        client.post("/api/v1/holds/confirm", body, content_type="application/json")
        for _ in range(3)
    ]
    assert 429 not in {a.status_code for a in answers[:2]}
    assert answers[2].status_code == 429
    assert answers[2].json()["retry_after"] > 0
