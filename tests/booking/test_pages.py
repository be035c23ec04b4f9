"""The booking pages and the JSON API, through Django's test client."""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.accounts.factories import UserFactory
from tests.cases.factories import pdf_bytes, png_bytes
from willkommen.accounts.roles import Role
from willkommen.booking import links
from willkommen.booking.models import Appointment, EmergencyRequest, PreparationTask, Status
from willkommen.core.models import OutboxMail

BERLIN = ZoneInfo("Europe/Berlin")
THURSDAY_9 = datetime(2027, 3, 11, 9, 0, tzinfo=BERLIN)


def stamp(moment):
    return int(moment.timestamp())


def mail_link(to, marker):
    body = OutboxMail.objects.filter(to=to).order_by("-id").first().body
    url = next(line for line in body.splitlines() if marker in line)
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@pytest.fixture
def details_url(office):
    return (
        f"/de/appointments/{office.location.slug}/{office.service.slug}/book/"
        f"?persons=1&start={stamp(THURSDAY_9)}"
    )


def test_whole_flow_in_pages(client, office, details_url):
    start = client.get(
        "/de/appointments/",
        {"service": office.service.pk, "location": office.location.pk, "persons": 1},
    )
    assert start.status_code == 302
    days = client.get(start["Location"])
    assert "Donnerstag, 11. März 2027" in days.content.decode()
    times = client.get(
        f"/de/appointments/{office.location.slug}/{office.service.slug}/2027-03-11/?persons=1"
    )
    assert f"start={stamp(THURSDAY_9)}" in times.content.decode()
    form = client.get(details_url)
    assert form.status_code == 200
    held = client.post(
        details_url, {"name": "Ada Lovelace", "email": "ada@example.org", "consent": "on"}
    )
    assert held.status_code == 200
    assert "ada@example.org" in held.content.decode()
    confirm_url = mail_link("ada@example.org", "/confirm/")
    page = client.get(confirm_url)
    assert "Diesen Termin buchen" in page.content.decode()
    confirmed = client.post(confirm_url)
    assert confirmed.status_code == 302
    manage = client.get(confirmed["Location"])
    text = manage.content.decode()
    appointment = Appointment.objects.get()
    assert appointment.status == Status.CONFIRMED
    assert appointment.reference in text and "data:image/svg+xml" in text
    token = links.make_token(appointment, links.MANAGE)
    ics = client.get(f"/de/appointments/appointment/{token}/calendar.ics")
    assert b"BEGIN:VEVENT" in ics.content and appointment.reference.encode() in ics.content
    pdf = client.get(f"/de/appointments/appointment/{token}/confirmation.pdf")
    assert pdf.content.startswith(b"%PDF")
    cancelled = client.post(f"/de/appointments/appointment/{token}/cancel/")
    assert cancelled.status_code == 200
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    # The link of the cancelled appointment no longer works.
    assert client.get(f"/de/appointments/appointment/{token}/").status_code == 404


def test_bad_details_change_nothing(client, details_url):
    response = client.post(details_url, {"name": "", "email": "not-an-address", "consent": ""})
    assert response.status_code == 400
    assert Appointment.objects.count() == 0
    assert client.post(details_url + "x", {}).status_code == 404
    long_name = {"name": "x" * 151, "email": "a@example.org", "consent": "on"}
    assert client.post(details_url, long_name).status_code == 400
    assert Appointment.objects.count() == 0


def test_taken_time_gives_409_with_the_next_free_times(client, details_url):
    for n in range(2):
        client.post(details_url, {"name": f"P {n}", "email": f"p{n}@example.org", "consent": "on"})
    response = client.post(
        details_url, {"name": "Late", "email": "late@example.org", "consent": "on"}
    )
    assert response.status_code == 409
    assert f"start={stamp(THURSDAY_9 + timedelta(minutes=15))}" in response.content.decode()


def test_english_pages_and_mail(client, office):
    url = (
        f"/en/appointments/{office.location.slug}/{office.service.slug}/book/"
        f"?persons=1&start={stamp(THURSDAY_9)}"
    )
    response = client.post(url, {"name": "Ada", "email": "ada@example.org", "consent": "on"})
    assert "Please confirm by e-mail" in response.content.decode()
    mail = OutboxMail.objects.get()
    assert mail.subject.endswith(
        f"Please confirm your appointment {Appointment.objects.get().reference}"
    )
    assert "/en/appointments/confirm/" in mail.body


def test_api_hold_confirm_rebook_cancel(client, office, settings):
    settings.BOOKING_CANCELLED_RETURN_MINUTES = 0
    availability = client.get(
        "/api/v1/availability",
        {
            "location": office.location.slug,
            "service": office.service.slug,
            "from": "2027-03-11",
            "days": 1,
        },
    )
    assert availability.status_code == 200
    slots = availability.json()["slots"]
    assert len(slots) == 16
    body = {
        "location": office.location.slug,
        "service": office.service.slug,
        "persons": 1,
        "starts_at": slots[0]["starts_at"],
        "name": "Api Person",
        "email": "api@example.org",
        "consent": True,
    }
    held = client.post("/api/v1/holds", json.dumps(body), content_type="application/json")
    assert held.status_code == 201, held.content
    assert held.json()["status"] == "held"
    token = re.search(r"/confirm/([^/\s]+)/", OutboxMail.objects.get().body).group(1)
    confirmed = client.post(
        "/api/v1/holds/confirm", json.dumps({"token": token}), content_type="application/json"
    )
    assert confirmed.json()["status"] == "confirmed"
    manage = confirmed.json()["manage_token"]
    moved = client.post(
        "/api/v1/appointments/rebook",
        json.dumps({"token": manage, "starts_at": slots[4]["starts_at"]}),
        content_type="application/json",
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["reference"] == held.json()["reference"]
    stale = client.post(
        "/api/v1/appointments/cancel",
        json.dumps({"token": manage}),
        content_type="application/json",
    )
    assert stale.status_code == 404
    cancelled = client.post(
        "/api/v1/appointments/cancel",
        json.dumps({"token": moved.json()["manage_token"]}),
        content_type="application/json",
    )
    assert cancelled.json()["status"] == "cancelled"


def test_api_taken_slot_is_409_with_next_free(client, office):
    base = {
        "location": office.location.slug, "service": office.service.slug, "persons": 1,
        "starts_at": THURSDAY_9.isoformat(), "consent": True,
    }  # fmt: skip
    for n in range(2):
        body = {**base, "name": f"N{n}", "email": f"n{n}@example.org"}
        assert (
            client.post(
                "/api/v1/holds", json.dumps(body), content_type="application/json"
            ).status_code
            == 201
        )
    body = {**base, "name": "Late", "email": "late@example.org"}
    response = client.post("/api/v1/holds", json.dumps(body), content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "slot_taken"
    assert response.json()["next_free"][0].startswith("2027-03-11T08:15")


def test_api_refusals_offer_the_next_free_times_as_they_are_now(client, office):
    def hold(starts_at, n):
        body = {
            "location": office.location.slug, "service": office.service.slug, "persons": 1,
            "starts_at": starts_at.isoformat(), "consent": True, "name": f"N{n}",
            "email": f"n{n}@example.org",
        }  # fmt: skip
        return client.post("/api/v1/holds", json.dumps(body), content_type="application/json")

    assert [hold(THURSDAY_9, n).status_code for n in range(3)] == [201, 201, 409]
    refused = hold(THURSDAY_9, 3)
    assert refused.status_code == 409
    assert refused.json()["next_free"][0].startswith("2027-03-11T08:15")
    quarter_past = THURSDAY_9 + timedelta(minutes=15)
    assert [hold(quarter_past, n).status_code for n in (4, 5)] == [201, 201]  # now full
    offered = hold(THURSDAY_9, 6).json()["next_free"]
    assert offered[0].startswith("2027-03-11T08:30")  # 09:15 left out: full


def test_api_rate_limit_per_email(client, office, settings):
    settings.BOOKING_HOLDS_PER_EMAIL_PER_DAY = 1
    body = {
        "location": office.location.slug, "service": office.service.slug, "persons": 1,
        "starts_at": THURSDAY_9.isoformat(), "consent": True, "name": "A",
        "email": "rl@example.org",
    }  # fmt: skip
    client.post("/api/v1/holds", json.dumps(body), content_type="application/json")
    again = client.post(
        "/api/v1/holds", json.dumps({**body, "name": "B"}), content_type="application/json"
    )
    assert again.status_code == 429
    assert int(again["Retry-After"]) > 0


def test_altcha_is_required_when_enabled(client, office, settings):
    import altcha

    from willkommen.booking import protection

    settings.ALTCHA_ENABLED = True
    settings.ALTCHA_COST = 1
    body = {
        "location": office.location.slug, "service": office.service.slug, "persons": 1,
        "starts_at": THURSDAY_9.isoformat(), "consent": True, "name": "A", "email": "a@example.org",
    }  # fmt: skip
    refused = client.post("/api/v1/holds", json.dumps(body), content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "challenge_failed"
    challenge = client.get("/api/v1/altcha/challenge").json()
    solution = altcha.solve_challenge(altcha.Challenge.from_dict(challenge))
    payload = altcha.Payload(altcha.Challenge.from_dict(challenge), solution).to_base64()
    accepted = client.post(
        "/api/v1/holds", json.dumps({**body, "altcha": payload}), content_type="application/json"
    )
    assert accepted.status_code == 201
    replay = {**body, "name": "B", "email": "b@example.org", "altcha": payload}
    replayed = client.post("/api/v1/holds", json.dumps(replay), content_type="application/json")
    assert replayed.status_code == 400
    assert Appointment.objects.count() == 1
    assert protection.ChallengeFailed.code == "challenge_failed"


def test_emergency_request_triage_accept_and_reject(client, office):
    form = {
        "reason": "expires_soon", "permit_expires_on": "2027-03-20", "service": office.service.pk,
        "location": office.location.pk, "persons": 1, "name": "Urgent One",
        "email": "urgent@example.org", "consent": "on",
        "attachment": SimpleUploadedFile("permit.pdf", pdf_bytes(), "application/pdf"),
    }  # fmt: skip
    assert client.post("/de/appointments/emergency/", form).status_code == 200
    form.update(name="Urgent Two", email="two@example.org", permit_expires_on="2027-03-15")
    form["attachment"] = SimpleUploadedFile("x.exe", b"MZ", "application/octet-stream")
    assert client.post("/de/appointments/emergency/", form).status_code == 400
    form.pop("attachment")
    assert client.post("/de/appointments/emergency/", form).status_code == 200
    first, second = EmergencyRequest.objects.order_by("created_at")
    assert (
        first.attachment.name.startswith("booking/emergency/")
        and "permit" not in first.attachment.name
    )

    reception = UserFactory(roles=[Role.RECEPTION])
    client.force_login(reception)
    queue = client.get("/de/staff/booking/emergency/").content.decode()
    # Earliest need first: the permit that expires on the 15th is listed first.
    assert queue.index("Urgent Two") < queue.index("Urgent One")
    page = client.get(f"/de/staff/booking/emergency/{first.pk}/?day=2027-03-11")
    assert page.status_code == 200
    accepted = client.post(
        f"/de/staff/booking/emergency/{first.pk}/?day=2027-03-11",
        {"decision": "accept", "start": stamp(THURSDAY_9)},
    )
    assert accepted.status_code == 302
    first.refresh_from_db()
    assert first.status == "accepted" and first.appointment.channel == "emergency"
    assert first.appointment.status == Status.CONFIRMED
    refused = client.post(
        f"/de/staff/booking/emergency/{second.pk}/", {"decision": "reject", "reason": ""}
    )
    assert refused.status_code == 400
    client.post(
        f"/de/staff/booking/emergency/{second.pk}/", {"decision": "reject", "reason": "Not urgent"}
    )
    second.refresh_from_db()
    assert second.status == "rejected"
    assert OutboxMail.objects.filter(
        to="two@example.org", subject__contains="Notfall"
    ).exists() or (OutboxMail.objects.filter(to="two@example.org").count() == 2)


def test_staff_day_plan_booking_by_phone_and_preparation(client, office):
    clerk = UserFactory(roles=[Role.CLERK])
    client.force_login(clerk)
    query = f"service={office.service.pk}&location={office.location.pk}&persons=2&day=2027-03-11"
    page = client.get(f"/de/staff/booking/book/?{query}")
    assert page.status_code == 200
    booked = client.post(
        f"/de/staff/booking/book/?{query}",
        {
            "start": stamp(THURSDAY_9),
            "name": "Phone Caller",
            "phone": "+49 9131 123456",
            "language": "de",
        },
    )
    assert booked.status_code == 302
    appointment = Appointment.objects.get()
    assert (appointment.channel, appointment.status, appointment.persons) == (
        "staff",
        Status.CONFIRMED,
        2,
    )
    assert appointment.events.get().actor == clerk
    client.post(
        f"/de/staff/booking/appointments/{appointment.pk}/tasks/",
        {"title": "Ask the Bundesagentur"},
    )
    task = PreparationTask.objects.get()
    client.post(f"/de/staff/booking/appointments/{appointment.pk}/tasks/{task.pk}/", {"done": "1"})
    task.refresh_from_db()
    assert task.is_done and task.done_by == clerk
    client.post(
        f"/de/staff/booking/appointments/{appointment.pk}/plan/",
        {"clerk": clerk.pk, "staff_note": "Interpreter"},
    )
    plan = client.get(
        f"/de/staff/booking/?location={office.location.pk}&day=2027-03-11"
    ).content.decode()
    assert (
        appointment.reference in plan and "Ask the Bundesagentur" in plan and "Interpreter" in plan
    )
    detail = client.get(f"/de/staff/booking/appointments/{appointment.pk}/")
    assert detail.status_code == 200


def test_staff_pages_need_roles(client, office):
    assert client.get("/de/staff/booking/").status_code == 302
    client.force_login(UserFactory(roles=[Role.CONTROLLER]))
    assert client.get("/de/staff/booking/").status_code == 403
    assert client.get("/de/staff/booking/emergency/").status_code == 403


def test_overdue_emergency_requests_are_flagged_on_the_start_page(client, office, frozen_clock):
    from willkommen.booking import services

    request = services.submit_emergency_request(
        location=office.location, service=office.service, reason="expired",
        permit_expires_on=THURSDAY_9.date(), applicant=services.Applicant("Late", "l@example.org"),
        attachment=SimpleUploadedFile("permit.png", png_bytes(), "image/png"),
    )  # fmt: skip
    client.force_login(UserFactory(roles=[Role.RECEPTION]))
    assert "zu lange" not in client.get("/de/staff/").content.decode()
    frozen_clock.return_value += timedelta(hours=25)
    assert "1 Anfrage wartet zu lange" in client.get("/de/staff/").content.decode()
    document = client.get(f"/de/staff/booking/emergency/{request.pk}/document")
    assert document.status_code == 200 and document["Content-Disposition"].startswith("attachment")
    client.force_login(UserFactory(roles=[Role.CLERK]))
    assert client.get(f"/de/staff/booking/emergency/{request.pk}/document").status_code == 403


def test_admin_change_of_rules_updates_the_slots(client, office):
    from willkommen.booking.models import OpeningRule

    client.force_login(UserFactory(roles=[Role.ADMIN], is_staff=True))
    rule = OpeningRule.objects.get()
    page = client.get(f"/admin/booking/openingrule/{rule.pk}/change/")
    assert page.status_code == 200
    data = {
        "location": office.location.pk, "team": "", "weekdays": "[0, 1, 2, 3, 4]",
        "start_time": "08:00", "end_time": "10:00", "valid_from": "2027-01-01",
        "valid_until": "", "every_n_weeks": 1, "slot_minutes": 15, "online_capacity": 2,
        "staff_capacity": 1, "emergency_capacity": 1,
    }  # fmt: skip
    saved = client.post(f"/admin/booking/openingrule/{rule.pk}/change/", data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    from willkommen.booking import selectors

    times = selectors.free_times(
        office.location, office.service, 1, first_day=THURSDAY_9.date(), days=1
    )
    assert len(times) == 8  # 08:00–10:00 now


@pytest.mark.parametrize(
    "change",
    [
        {"email": "not-an-address"},
        {"name": "x" * 151},
        {"phone": "call me maybe"},
        {"consent": False},
        {"persons": 0},
        {"starts_at": "tomorrow"},
    ],
)
def test_api_bad_input_is_refused_and_changes_nothing(client, office, change):
    body = {
        "location": office.location.slug, "service": office.service.slug, "persons": 1,
        "starts_at": THURSDAY_9.isoformat(), "consent": True, "name": "A", "email": "a@example.org",
    }  # fmt: skip
    response = client.post(
        "/api/v1/holds", json.dumps({**body, **change}), content_type="application/json"
    )
    assert response.status_code == 422
    assert Appointment.objects.count() == 0 and OutboxMail.objects.count() == 0


def test_api_rule_violations_are_409_with_a_code(client, office):
    body = {
        "location": office.location.slug, "service": office.service.slug, "persons": 5,
        "starts_at": THURSDAY_9.isoformat(), "consent": True, "name": "A", "email": "a@example.org",
    }  # fmt: skip
    too_many = client.post("/api/v1/holds", json.dumps(body), content_type="application/json")
    assert (too_many.status_code, too_many.json()["code"]) == (409, "invalid_request")
    past = {**body, "persons": 1, "starts_at": "2027-03-01T09:00:00+01:00"}
    response = client.post("/api/v1/holds", json.dumps(past), content_type="application/json")
    assert response.status_code == 409 and "Vergangenheit" in response.json()["detail"]
    odd = {**body, "persons": 1, "starts_at": "2027-03-11T09:07:00+01:00"}
    response = client.post("/api/v1/holds", json.dumps(odd), content_type="application/json")
    assert response.json()["code"] == "slot_unavailable"
    assert Appointment.objects.count() == 0


def test_forged_links_get_a_clear_page(client, office):
    for url in [
        "/de/appointments/confirm/forged-token-value/",
        "/de/appointments/appointment/forged-token-value/",
        "/de/appointments/appointment/forged-token-value/cancel/",
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert "nicht (mehr) gültig" in response.content.decode()
    assert client.get("/de/appointments/appointment/forged/calendar.ics").status_code == 404
    fake = client.post(
        "/api/v1/holds/confirm", json.dumps({"token": "x" * 40}), content_type="application/json"
    )
    assert (fake.status_code, fake.json()["code"]) == (404, "invalid_link")


def test_staff_moves_an_appointment(client, office):
    from willkommen.booking import services

    appointment = services.book(
        location=office.location, service=office.service, persons=1, starts_at=THURSDAY_9,
        applicant=services.Applicant("Mover", "m@example.org"), channel="staff",
    )  # fmt: skip
    clerk = UserFactory(roles=[Role.CLERK])
    client.force_login(clerk)
    page = client.get(f"/de/staff/booking/appointments/{appointment.pk}/move/?day=2027-03-11")
    assert page.status_code == 200
    later = THURSDAY_9 + timedelta(hours=2)
    moved = client.post(
        f"/de/staff/booking/appointments/{appointment.pk}/move/?day=2027-03-11",
        {"start": stamp(later)},
    )
    assert moved.status_code == 302
    appointment.refresh_from_db()
    assert appointment.starts_at == later
    assert appointment.events.last().actor == clerk
    client.post(f"/de/staff/booking/appointments/{appointment.pk}/cancel/")
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED


def test_the_api_availability_may_be_kept_by_a_shared_cache_for_a_moment(
    client, office, settings, details_url
):
    settings.BOOKING_AVAILABILITY_MAX_AGE = 1
    query = {
        "location": office.location.slug, "service": office.service.slug,
        "from": "2027-03-11", "days": 1,
    }  # fmt: skip
    first = client.get("/api/v1/availability", query, headers={"accept-language": "en"})
    assert first.status_code == 200
    assert set(first["Cache-Control"].split(", ")) == {
        "public", "max-age=1", "stale-while-revalidate=2",
    }  # fmt: skip
    assert "Accept-Language" in first["Vary"]  # its Content-Language came from the header
    assert first["Content-Language"] == "en"
    assert not first.cookies
    # No cache in the process: the next answer is read afresh.
    client.post(details_url, {"name": "P 1", "email": "p1@example.org", "consent": "on"})
    fresh = client.get("/api/v1/availability", query).json()
    changed = [
        (a["free"], b["free"])
        for a, b in zip(first.json()["slots"], fresh["slots"], strict=True)
        if a != b
    ]
    assert changed == [(2, 1)]  # the time just held
    settings.BOOKING_AVAILABILITY_STALE_SECONDS = 0
    again = client.get("/api/v1/availability", query)
    assert set(again["Cache-Control"].split(", ")) == {"public", "max-age=1"}
    unknown = client.get("/api/v1/availability", {**query, "service": "nope"})
    assert unknown.status_code == 404 and "public" not in unknown.get("Cache-Control", "")


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_day_and_time_pages_are_public_for_a_moment_and_set_no_cookie(
    client, office, settings, language
):
    settings.BOOKING_AVAILABILITY_MAX_AGE = 1
    base = f"/{language}/appointments/{office.location.slug}/{office.service.slug}/"
    for url in (f"{base}?persons=1", f"{base}2027-03-11/?persons=1"):
        page = client.get(url)
        assert page.status_code == 200
        assert set(page["Cache-Control"].split(", ")) == {
            "public", "max-age=1", "stale-while-revalidate=2",
        }  # fmt: skip
        assert page["Content-Language"] == language
        assert "Accept-Language" not in page.get("Vary", "")  # the language is in the URL
        assert not page.cookies
    client.cookies["messages"] = "a message waiting for this browser"
    waiting = client.get(f"{base}?persons=1")
    assert "private" in waiting["Cache-Control"] and "public" not in waiting["Cache-Control"]
    del client.cookies["messages"]
    client.force_login(UserFactory(roles=[Role.CLERK]))
    staff = client.get(f"{base}?persons=1")
    assert "private" in staff["Cache-Control"] and "public" not in staff["Cache-Control"]
