"""Webhooks: every recorded transition reaches the subscribers as a signed CloudEvent."""

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from io import StringIO

import pytest
from cloudevents.core.bindings.http import HTTPMessage, from_http_event
from django.core.management import call_command
from django.db import transaction

from tests.booking import conftest as booking
from tests.cases.factories import make_case_type, open_case, staff, status
from tests.frontdesk.factories import build_office, walk_in
from willkommen.booking import services as booking_services
from willkommen.cases import services as case_services
from willkommen.events.delivery import deliver_due
from willkommen.events.models import Delivery, EventType, Subscriber

pytestmark = pytest.mark.django_db
SECRET = "s3cret-for-the-test-receiver"
office = booking.office  # booking's fixture: a bookable location


def subscribe(receiver, **fields) -> Subscriber:
    fields.setdefault("secret", SECRET)
    return Subscriber.objects.create(name="Fachverfahren", url=receiver.url, **fields)


def verified(request, secret=SECRET):
    """The receiver's side: check the signature as the documentation says, parse with the
    CloudEvents SDK. Returns the event, or raises."""
    expected = "sha256=" + hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.headers["Willkommen-Signature"], expected):
        raise ValueError("bad signature")
    return from_http_event(HTTPMessage(headers=request.headers, body=request.body))


def case_moved(frozen_clock):
    case_type = make_case_type()
    case = open_case(case_type).case
    clerk = staff(case.team)
    frozen_clock.return_value += timedelta(minutes=5)
    case_services.change_status(
        case,
        status(case_type, "unvollstaendig"),
        actor=clerk,
        expected_status_id=case.status_id,
        note="Pass fehlt, Frau Haddad ruft an",
    )
    return case


def test_a_case_status_change_arrives_signed_as_a_structured_cloudevent(receiver, frozen_clock):
    subscribe(receiver)
    case = case_moved(frozen_clock)

    assert deliver_due() == 2  # opened (first status), then moved

    first, second = receiver.received
    assert second.path == "/hooks/willkommen"
    assert second.headers["Content-Type"].startswith("application/cloudevents+json")
    event = verified(second)
    assert event.get_specversion() == "1.0"
    assert event.get_type() == EventType.CASE == "de.willkommen.case.status_changed"
    assert event.get_subject() == f"cases/{case.pk}"
    assert event.get_time() == frozen_clock.return_value
    data = event.get_data()
    assert (data["status"], data["phase"], data["sequence"]) == ("unvollstaendig", "incomplete", 2)
    assert verified(first).get_data()["sequence"] == 1
    assert verified(first).get_id() != event.get_id()
    assert Delivery.objects.filter(status=Delivery.Status.DELIVERED).count() == 2


def test_without_permission_no_personal_data_leaves(receiver, frozen_clock):
    subscribe(receiver, personal_data=False)
    case = case_moved(frozen_clock)
    deliver_due()
    for request in receiver.received:
        body = request.body.decode()
        assert "personal" not in verified(request).get_data()
        for personal in ("Amina", "Haddad", "amina@example.org", case.reference, "syrisch"):
            assert personal not in body


def test_a_subscriber_allowed_personal_data_gets_names_and_the_reference(receiver, frozen_clock):
    subscribe(receiver, personal_data=True)
    case = case_moved(frozen_clock)
    deliver_due()
    personal = verified(receiver.received[-1]).get_data()["personal"]
    assert personal["reference"] == case.reference
    assert personal["applicant"]["family_name"] == "Haddad"
    assert personal["note"] == "Pass fehlt, Frau Haddad ruft an"


def test_two_subscribers_get_the_same_event_id_each_with_its_own_signature(receiver, frozen_clock):
    subscribe(receiver)
    subscribe(receiver, secret="another-secret-of-16-chars", personal_data=True)
    case_moved(frozen_clock)
    deliver_due()
    last_two = receiver.received[-2:]
    assert len(receiver.received) == 4
    ids = {json.loads(r.body)["id"] for r in receiver.received}
    assert len(ids) == 2  # two transitions, each one id for both subscribers
    signatures = {r.headers["Willkommen-Signature"] for r in last_two}
    assert len(signatures) == 2
    with pytest.raises(ValueError):  # one subscriber's secret does not verify the other's
        verified(next(r for r in last_two if b"personal" in r.body))


def test_a_tampered_body_fails_the_signature_check(receiver, frozen_clock):
    subscribe(receiver)
    case_moved(frozen_clock)
    deliver_due()
    request = receiver.received[0]
    request.body = request.body.replace(b"received", b"decided")
    with pytest.raises(ValueError, match="bad signature"):
        verified(request)


def test_after_a_500_it_is_retried_with_backoff_and_the_same_bytes(receiver, frozen_clock):
    subscribe(receiver, event_types=[EventType.VISIT])
    where = build_office()
    receiver.answers = [500]
    walk_in(where["location"], where["extend"])

    assert deliver_due() == 0
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert delivery.last_error.startswith("HTTP 500")
    assert delivery.next_attempt_at == frozen_clock.return_value + timedelta(minutes=1)
    assert deliver_due() == 0  # not due yet: no second request
    assert len(receiver.received) == 1

    frozen_clock.return_value += timedelta(seconds=61)
    assert deliver_due() == 1
    first, again = receiver.received
    assert first.body == again.body
    assert first.headers["Willkommen-Signature"] == again.headers["Willkommen-Signature"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 2, "")
    data = verified(again).get_data()
    assert (data["action"], data["to_status"], data["ticket"]) == ("issue", "waiting", "A001")


def test_a_receiver_that_is_down_is_retried_until_it_answers(receiver, frozen_clock):
    subscriber = subscribe(receiver, event_types=[EventType.VISIT])
    where = build_office()
    subscriber.url = "http://127.0.0.1:9/nobody-listens"  # the discard port: refused
    subscriber.save()
    walk_in(where["location"], where["extend"])
    for minutes in (1, 2, 4):
        assert deliver_due() == 0
        frozen_clock.return_value += timedelta(minutes=minutes)
    delivery = Delivery.objects.get()
    assert delivery.attempts == 3
    assert "ConnectError" in delivery.last_error
    subscriber.url = receiver.url
    subscriber.save()
    assert deliver_due() == 1
    assert len(receiver.received) == 1


def test_appointment_events_follow_the_booking(receiver, office):
    subscribe(receiver, event_types=[EventType.APPOINTMENT])
    booking_services.book(
        location=office.location,
        service=office.service,
        persons=2,
        starts_at=datetime(2027, 3, 11, 9, 0, tzinfo=booking.BERLIN),
        applicant=booking_services.Applicant(name="Zoë Müller", email="zoe@example.org"),
    )
    assert deliver_due() == 1
    event = verified(receiver.received[0])
    assert event.get_type() == "de.willkommen.appointment.status_changed"
    data = event.get_data()
    assert (data["location"], data["persons"], data["from_status"]) == ("rathaus", 2, "")
    assert data["starts_at"] == "2027-03-11T08:00:00Z"
    assert "Zoë" not in receiver.received[0].body.decode()


def test_only_the_chosen_types_and_active_subscribers_are_sent(receiver, frozen_clock):
    subscribe(receiver, event_types=[EventType.APPOINTMENT])
    subscribe(receiver, active=False)
    case_moved(frozen_clock)
    assert not Delivery.objects.exists()


def test_a_rolled_back_change_publishes_nothing(receiver, frozen_clock):
    subscribe(receiver)
    where = build_office()
    with pytest.raises(RuntimeError), transaction.atomic():
        walk_in(where["location"], where["extend"])
        assert Delivery.objects.count() == 1
        raise RuntimeError("the change fails after its history was written")
    assert not Delivery.objects.exists()


def test_a_switched_off_subscriber_keeps_its_queue(receiver, frozen_clock):
    subscriber = subscribe(receiver)
    where = build_office()
    walk_in(where["location"], where["extend"])
    Subscriber.objects.filter(pk=subscriber.pk).update(active=False)
    assert deliver_due() == 0
    Subscriber.objects.filter(pk=subscriber.pk).update(active=True)
    assert deliver_due() == 1


def test_the_sweep_reports_and_forgets_old_deliveries(receiver, frozen_clock, settings):
    settings.EVENTS_KEEP_DAYS = 30
    subscribe(receiver)
    where = build_office()
    walk_in(where["location"], where["extend"])
    out = StringIO()
    call_command("deliver_events", stdout=out)
    assert out.getvalue().strip() == "delivered 1 event(s), purged 0"
    frozen_clock.return_value += timedelta(days=31)
    call_command("deliver_events", stdout=(out := StringIO()))
    assert out.getvalue().strip() == "delivered 0 event(s), purged 1"
    assert not Delivery.objects.exists()
