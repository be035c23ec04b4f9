"""Booking without JavaScript: the signed waiting ticket instead of the proof-of-work
(core/noscript.py), through the booking pages as a browser without JavaScript sends them."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import signing

from tests.booking.test_concurrency import _run_at_once
from willkommen.booking.models import Appointment, EmergencyRequest
from willkommen.core import noscript
from willkommen.core.models import OutboxMail, UsedWaitingTicket

BERLIN = ZoneInfo("Europe/Berlin")
THURSDAY_9 = datetime(2027, 3, 11, 9, 0, tzinfo=BERLIN)
TICKET = re.compile(r'<input type="hidden" name="noscript_ticket" value="([^"]+)">')


@pytest.fixture
def protected(settings):
    settings.ALTCHA_ENABLED = True
    settings.NOSCRIPT_WAIT_SECONDS = 15
    settings.NOSCRIPT_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 5


@pytest.fixture
def details_url(office):
    return (
        f"/de/appointments/{office.location.slug}/{office.service.slug}/book/"
        f"?persons=1&start={int(THURSDAY_9.timestamp())}"
    )


def person(number=0):
    return {"name": f"Ada Lovelace {number}", "email": f"ada{number}@example.org", "consent": "on"}


def ticket_from(response) -> str:
    found = TICKET.search(response.content.decode())
    assert found, "the form carries no waiting ticket"
    return found.group(1)


def later(frozen_clock, seconds):
    frozen_clock.return_value = frozen_clock.return_value + timedelta(seconds=seconds)


def nothing_booked():
    return not Appointment.objects.exists() and not OutboxMail.objects.exists()


def test_the_form_tells_plainly_to_wait_and_carries_the_ticket_in_noscript(
    client, protected, details_url
):
    body = client.get(details_url).content.decode()
    noscript_part = body[body.index("<noscript>") : body.index("</noscript>")]
    assert 'name="noscript_ticket"' in noscript_part
    assert "mindestens 15 Sekunden" in noscript_part
    english = client.get(details_url.replace("/de/", "/en/")).content.decode()
    assert "wait at least 15 seconds after this page has opened" in english


def test_a_ticket_old_enough_books_the_appointment(client, protected, details_url, frozen_clock):
    ticket = ticket_from(client.get(details_url))
    later(frozen_clock, 16)
    held = client.post(details_url, {**person(), "noscript_ticket": ticket})
    assert held.status_code == 200
    assert "Bitte per E-Mail bestätigen" in held.content.decode()
    assert Appointment.objects.get().applicant_email == "ada0@example.org"
    assert UsedWaitingTicket.objects.count() == 1


def test_too_early_the_form_comes_back_and_nothing_changes(
    client, protected, details_url, frozen_clock
):
    ticket = ticket_from(client.get(details_url))
    later(frozen_clock, 5)
    refused = client.post(details_url, {**person(), "noscript_ticket": ticket})
    body = refused.content.decode()
    assert refused.status_code == 400
    assert "Bitte warten Sie noch etwas, bevor Sie das Formular senden" in body
    assert "mindestens 15 Sekunden" in body and 'value="Ada Lovelace 0"' in body
    assert nothing_booked() and not UsedWaitingTicket.objects.exists()
    # The form keeps the ticket, so the applicant need only wait out the rest.
    assert ticket_from(refused) == ticket
    later(frozen_clock, 10)
    assert client.post(details_url, {**person(), "noscript_ticket": ticket}).status_code == 200
    assert Appointment.objects.count() == 1


def test_too_early_in_english(client, protected, details_url, frozen_clock):
    url = details_url.replace("/de/", "/en/")
    refused = client.post(url, {**person(), "noscript_ticket": ticket_from(client.get(url))})
    assert "Please wait a little longer before you send the form" in refused.content.decode()


def test_a_replayed_ticket_is_refused(client, protected, details_url, frozen_clock):
    ticket = ticket_from(client.get(details_url))
    later(frozen_clock, 20)
    assert client.post(details_url, {**person(1), "noscript_ticket": ticket}).status_code == 200
    replayed = client.post(details_url, {**person(2), "noscript_ticket": ticket})
    assert replayed.status_code == 400
    assert "bereits gesendet oder konnte nicht geprüft werden" in replayed.content.decode()
    assert list(Appointment.objects.values_list("applicant_email", flat=True)) == [
        "ada1@example.org"
    ]
    assert ticket_from(replayed) != ticket  # a fresh one to wait for


@pytest.mark.parametrize(
    "forged",
    [
        "not-a-ticket",
        signing.dumps({"id": "x", "s": "booking-hold-ip", "t": 0}, salt="another salt"),
        signing.dumps(
            {"id": "x", "s": "booking-hold-ip", "t": 0}, key="guessed", salt=noscript.SALT
        ),
    ],
)
def test_a_forged_ticket_is_refused(client, protected, details_url, frozen_clock, forged):
    later(frozen_clock, 60)
    refused = client.post(details_url, {**person(), "noscript_ticket": forged})
    assert refused.status_code == 400
    assert "konnte nicht geprüft werden" in refused.content.decode()
    assert nothing_booked() and not UsedWaitingTicket.objects.exists()


def test_another_forms_ticket_does_not_pass(client, protected, details_url, frozen_clock):
    contact_ticket = noscript.issue("contact-form-ip")
    later(frozen_clock, 60)
    refused = client.post(details_url, {**person(), "noscript_ticket": contact_ticket})
    assert refused.status_code == 400 and nothing_booked()


def test_an_expired_ticket_is_refused(client, protected, details_url, frozen_clock):
    ticket = ticket_from(client.get(details_url))
    later(frozen_clock, noscript.LIFETIME.total_seconds() + 1)
    refused = client.post(details_url, {**person(), "noscript_ticket": ticket})
    assert refused.status_code == 400
    assert "zu lange geöffnet" in refused.content.decode()
    assert nothing_booked()


def test_without_ticket_and_solution_nothing_is_booked(client, protected, details_url):
    refused = client.post(details_url, person())
    assert refused.status_code == 400 and nothing_booked()


def test_the_limit_per_address_for_submissions_without_javascript(
    client, protected, details_url, frozen_clock, settings
):
    limit = settings.NOSCRIPT_SUBMISSIONS_PER_ADDRESS_PER_HOUR
    # One time each (two online places per time), so only the limit can refuse.
    urls = [
        details_url.replace(
            str(int(THURSDAY_9.timestamp())),
            str(int((THURSDAY_9 + timedelta(minutes=15 * n)).timestamp())),
        )
        for n in range(limit + 1)
    ]
    tickets = [ticket_from(client.get(url)) for url in urls]
    later(frozen_clock, 20)
    answers = [
        client.post(url, {**person(n), "noscript_ticket": ticket}).status_code
        for n, (url, ticket) in enumerate(zip(urls, tickets, strict=True))
    ]
    assert answers[:limit] == [200] * limit
    assert answers[limit] == 429
    assert Appointment.objects.count() == limit
    assert UsedWaitingTicket.objects.count() == limit  # the refused ticket was not used up


def test_the_emergency_form_accepts_a_ticket_too(client, protected, office, frozen_clock):
    form = {
        "reason": "expires_soon", "permit_expires_on": "2027-03-20", "service": office.service.pk,
        "location": office.location.pk, "persons": 1, "name": "Someone",
        "email": "someone@example.org", "consent": "on",
    }  # fmt: skip
    ticket = ticket_from(client.get("/en/appointments/emergency/"))
    early = client.post("/en/appointments/emergency/", {**form, "noscript_ticket": ticket})
    assert early.status_code == 400 and not EmergencyRequest.objects.exists()
    later(frozen_clock, 16)
    accepted = client.post("/en/appointments/emergency/", {**form, "noscript_ticket": ticket})
    assert accepted.status_code == 200 and EmergencyRequest.objects.count() == 1


def test_the_api_asks_for_the_solution_whatever_ticket_it_gets(
    client, protected, office, frozen_clock
):
    ticket = noscript.issue("booking-hold-ip")
    later(frozen_clock, 60)
    body = {
        "location": office.location.slug, "service": office.service.slug, "persons": 1,
        "starts_at": THURSDAY_9.isoformat(), "name": "Ada", "email": "ada@example.org",
        "consent": True, "noscript_ticket": ticket,
    }  # fmt: skip
    # The API's document knows no ticket: the request is invalid, and without it the
    # proof-of-work is asked for.
    refused = client.post("/api/v1/holds", body, content_type="application/json")
    assert refused.status_code == 422
    del body["noscript_ticket"]
    refused = client.post("/api/v1/holds", body, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "challenge_failed"
    assert not Appointment.objects.exists()


def test_used_tickets_are_purged_after_their_lifetime(client, protected, details_url, frozen_clock):
    ticket = ticket_from(client.get(details_url))
    later(frozen_clock, 20)
    client.post(details_url, {**person(), "noscript_ticket": ticket})
    assert noscript.purge_used(frozen_clock.return_value) == 0
    assert noscript.purge_used(frozen_clock.return_value + noscript.LIFETIME) == 1


@pytest.mark.django_db(transaction=True)
def test_one_ticket_sent_by_many_at_once_is_accepted_once(frozen_clock, settings):
    """Each thread its own connection: the database's primary key decides, not Python."""
    from django.test import RequestFactory

    settings.NOSCRIPT_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 100
    ticket = noscript.issue("booking-hold-ip")
    later(frozen_clock, 20)
    threads_count = 8

    def send(index):
        request = RequestFactory().post("/", REMOTE_ADDR=f"192.0.2.{index}")
        try:
            noscript.redeem(request, ticket, "booking-hold-ip")
        except noscript.TicketRefused:
            return "refused"
        return "accepted"

    outcomes = _run_at_once(threads_count, send)
    assert sorted(outcomes) == ["accepted"] + ["refused"] * (threads_count - 1), outcomes
    assert UsedWaitingTicket.objects.count() == 1
