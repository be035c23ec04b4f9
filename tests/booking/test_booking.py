"""Booking through the services: holds, confirmation, cancel, rebook, capacity and its return."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import signing

from willkommen.booking import links, selectors, services
from willkommen.booking.errors import (
    AlreadyBooked,
    HoldExpired,
    InvalidLink,
    InvalidRequest,
    SlotTaken,
    SlotUnavailable,
)
from willkommen.booking.models import Appointment, Channel, Slot, Status
from willkommen.booking.states import Action
from willkommen.core.models import OutboxMail
from willkommen.core.states import TransitionNotAllowed

BERLIN = ZoneInfo("Europe/Berlin")
THURSDAY_9 = datetime(2027, 3, 11, 9, 0, tzinfo=BERLIN)


def applicant(n=1, **extra):
    return services.Applicant(name=f"Ada Person{n}", email=f"ada{n}@example.org", **extra)


def hold(office, n=1, starts_at=THURSDAY_9, persons=1, **kwargs):
    return services.book(
        location=office.location,
        service=office.service,
        persons=persons,
        starts_at=starts_at,
        applicant=applicant(n),
        **kwargs,
    )


def token_from_mail(appointment, purpose=links.CONFIRM):
    mail = OutboxMail.objects.filter(to=appointment.applicant_email).order_by("-id").first()
    marker = "/confirm/" if purpose == links.CONFIRM else "/appointment/"
    line = next(line for line in mail.body.splitlines() if marker in line)
    return line.rstrip("/").rsplit("/", 1)[-1]


def booked(office, when=THURSDAY_9, channel=Channel.ONLINE):
    return sum(
        Slot.objects.filter(location=office.location, starts_at=when, channel=channel).values_list(
            "booked", flat=True
        )
    )


def test_hold_takes_capacity_and_mails_the_confirmation_link(office):
    appointment = hold(office)
    assert appointment.status == Status.HELD
    assert appointment.reference.startswith("T-") and len(appointment.reference) == 8
    assert booked(office) == 1
    mail = OutboxMail.objects.get(to="ada1@example.org")
    assert "/confirm/" in mail.body and appointment.reference in mail.body


def test_confirm_by_link_then_second_click_changes_nothing(office):
    appointment = hold(office)
    token = token_from_mail(appointment)
    confirmed, new = services.confirm(token)
    assert (confirmed.status, new) == (Status.CONFIRMED, True)
    mail = OutboxMail.objects.filter(to="ada1@example.org").order_by("-id").first()
    assert [a.filename for a in mail.attachments.all()] == [f"{appointment.reference}.ics"]
    assert "/confirmation.pdf" in mail.body
    again, new = services.confirm(token)
    assert (again.status, new) == (Status.CONFIRMED, False)
    assert appointment.events.filter(action=Action.CONFIRM).count() == 1


def test_the_calendar_file_reads_back_with_a_calendar_library(office):
    import icalendar

    from willkommen.booking import documents
    from willkommen.core.i18n import tr

    office.service.name = {"de": 'Aufenthalt; Verlängerung, "Blaue Karte" \\ EU\nmit Familie'}
    office.location.street = "Schloßplatz 1, Hinterhaus " + "ä" * 60  # folded mid-character?
    appointment = hold(office)
    raw = documents.calendar_file(appointment)
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # octets, RFC 5545 3.1
    raw.decode()  # no character cut in two by the folding
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["summary"]).endswith(
        f'Aufenthalt; Verlängerung, "Blaue Karte" \\ EU\nmit Familie ({appointment.reference})'
    )
    place = f"{tr(office.location.name)}, {documents.address_of(office.location)}"
    assert str(event["location"]) == place and "ä" * 60 in place
    assert event.decoded("dtstart") == appointment.starts_at
    assert event.decoded("dtend") == appointment.ends_at
    assert str(event["uid"]).startswith(appointment.reference + "@")
    assert int(event["sequence"]) == appointment.link_version


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("purpose", [links.CONFIRM, links.MANAGE])
def test_link_paths_are_what_reverse_gives_and_resolve_to_their_token(office, language, purpose):
    from django.urls import resolve, reverse
    from django.utils import translation

    appointment = hold(office)
    made = links.path(appointment, purpose, language)
    token = links.make_token(appointment, purpose)
    name = "booking:confirm" if purpose == links.CONFIRM else "booking:manage"
    with translation.override(language):
        assert made == reverse(name, kwargs={"token": token})
        match = resolve(made)
    assert made.startswith(f"/{language}/")
    assert match.view_name == name and match.kwargs == {"token": token}
    assert links.read_token(match.kwargs["token"], purpose)[0] == appointment.reference


def test_forged_and_wrong_purpose_links_are_refused(office):
    appointment = hold(office)
    token = token_from_mail(appointment)
    with pytest.raises(InvalidLink):
        services.confirm(token[:-2] + "xx")
    with pytest.raises(InvalidLink):
        services.confirm(links.make_token(appointment, links.MANAGE))
    forged = signing.dumps({"r": appointment.reference, "v": 1, "p": "confirm"}, salt="other")
    with pytest.raises(InvalidLink):
        services.confirm(forged)
    appointment.refresh_from_db()
    assert appointment.status == Status.HELD


def test_expired_hold_frees_the_slot_and_its_link_fails(office, frozen_clock):
    first = hold(office, 1)
    frozen_clock.return_value += timedelta(minutes=5)
    hold(office, 2)
    with pytest.raises(SlotTaken):
        hold(office, 3)
    frozen_clock.return_value += timedelta(minutes=6)
    # The booking notices the hold that ran out, expires it and gets the time.
    third = hold(office, 3)
    assert third.status == Status.HELD
    first.refresh_from_db()
    assert first.status == Status.EXPIRED
    with pytest.raises((HoldExpired, InvalidLink)):
        services.confirm(links.make_token(first, links.CONFIRM))
    assert booked(office) == 2


def test_sweep_expires_holds(office, frozen_clock):
    appointment = hold(office)
    frozen_clock.return_value += timedelta(minutes=10, seconds=1)
    assert services.expire_due_holds() == 1
    appointment.refresh_from_db()
    assert appointment.status == Status.EXPIRED
    assert booked(office) == 0
    assert [e.action for e in appointment.events.all()] == [Action.CREATE, Action.EXPIRE]


def test_cancelled_capacity_returns_only_after_the_delay(office, frozen_clock, settings):
    settings.BOOKING_CANCELLED_RETURN_MINUTES = 30
    appointment = hold(office)
    services.confirm(token_from_mail(appointment))
    services.cancel(appointment)
    assert booked(office) == 1
    frozen_clock.return_value += timedelta(minutes=29)
    assert services.return_due_capacity() == 0
    frozen_clock.return_value += timedelta(minutes=2)
    assert services.return_due_capacity() == 1
    assert services.return_due_capacity() == 0
    assert booked(office) == 0


def test_cancel_link_stops_working_after_cancelling(office):
    appointment = hold(office)
    services.confirm(token_from_mail(appointment))
    manage = links.make_token(Appointment.objects.get(pk=appointment.pk), links.MANAGE)
    services.cancel(services.appointment_for_link(manage))
    with pytest.raises(InvalidLink):
        services.appointment_for_link(manage)
    with pytest.raises(TransitionNotAllowed):
        services.cancel(appointment)


def test_rebook_keeps_reference_moves_capacity_and_invalidates_old_links(office, settings):
    settings.BOOKING_CANCELLED_RETURN_MINUTES = 0
    appointment = hold(office)
    services.confirm(token_from_mail(appointment))
    appointment.refresh_from_db()
    old_link = links.make_token(appointment, links.MANAGE)
    later = THURSDAY_9 + timedelta(hours=1)
    moved = services.rebook(appointment, starts_at=later)
    assert moved.reference == appointment.reference
    assert moved.status == Status.CONFIRMED
    assert booked(office, later) == 1
    assert booked(office, THURSDAY_9) == 0  # no delay configured: returned at once
    with pytest.raises(InvalidLink):
        services.appointment_for_link(old_link)
    event = moved.events.last()
    assert (event.action, event.starts_at) == (Action.REBOOK, later)


def test_rebook_to_a_full_time_changes_nothing(office):
    appointment = hold(office, 1)
    services.confirm(token_from_mail(appointment))
    later = THURSDAY_9 + timedelta(hours=1)
    hold(office, 2, starts_at=later)
    hold(office, 3, starts_at=later)
    with pytest.raises(SlotTaken):
        services.rebook(appointment, starts_at=later)
    appointment.refresh_from_db()
    assert appointment.starts_at == THURSDAY_9
    assert booked(office, THURSDAY_9) == 1 and booked(office, later) == 2


def test_family_takes_consecutive_slots(office):
    family = hold(office, persons=3)  # 3 × 15 min = three slots
    assert family.ends_at - family.starts_at == timedelta(minutes=45)
    for step in range(3):
        assert booked(office, THURSDAY_9 + timedelta(minutes=15 * step)) == 1
    assert booked(office, THURSDAY_9 + timedelta(minutes=45)) == 0


def test_appointment_may_not_run_past_closing_time(office):
    with pytest.raises(SlotUnavailable):
        hold(office, starts_at=THURSDAY_9.replace(hour=11, minute=45), persons=2)
    assert Appointment.objects.count() == 0


@pytest.mark.parametrize(
    ("starts_at", "persons"),
    [
        (datetime(2027, 3, 9, 9, 0, tzinfo=BERLIN), 1),  # past
        (datetime(2027, 3, 10, 11, 0, tzinfo=BERLIN), 1),  # within the lead time
        (datetime(2027, 6, 10, 9, 0, tzinfo=BERLIN), 1),  # beyond the horizon
        (THURSDAY_9, 5),  # more persons than the service allows
        (THURSDAY_9, 0),
    ],
)
def test_bad_requests_are_refused_and_store_nothing(office, starts_at, persons):
    with pytest.raises(InvalidRequest):
        hold(office, starts_at=starts_at, persons=persons)
    assert Appointment.objects.count() == 0
    assert OutboxMail.objects.count() == 0


def test_outside_opening_hours_is_unavailable(office):
    with pytest.raises(SlotUnavailable):
        hold(office, starts_at=THURSDAY_9.replace(hour=13))
    with pytest.raises(SlotUnavailable):
        hold(office, starts_at=THURSDAY_9.replace(minute=7))


def test_one_active_appointment_per_person_and_service(office):
    hold(office, 1)
    again = services.Applicant(name="  ADA  person1 ", email="Ada1@Example.org")
    with pytest.raises(AlreadyBooked):
        services.book(
            location=office.location,
            service=office.service,
            persons=1,
            starts_at=THURSDAY_9 + timedelta(hours=1),
            applicant=again,
        )
    assert Appointment.objects.count() == 1
    assert booked(office, THURSDAY_9 + timedelta(hours=1)) == 0


def test_staff_channel_uses_its_own_share_and_confirms_at_once(office):
    hold(office, 1)
    hold(office, 2)
    by_phone = hold(office, 3, channel=Channel.STAFF)
    assert by_phone.status == Status.CONFIRMED
    assert booked(office, channel=Channel.STAFF) == 1
    with pytest.raises(SlotTaken):
        hold(office, 4, channel=Channel.STAFF)


def test_availability_lists_free_times_and_leaves_out_full_ones(office):
    day = THURSDAY_9.date()
    times = selectors.free_times(office.location, office.service, 1, first_day=day, days=1)
    assert len(times) == 16  # 08:00–12:00 in 15 minutes
    hold(office, 1)
    hold(office, 2)
    starts = [
        free.starts_at
        for free in selectors.free_times(office.location, office.service, 1, first_day=day, days=1)
    ]
    assert THURSDAY_9 not in starts and len(starts) == 15
    family = selectors.free_times(office.location, office.service, 4, first_day=day, days=1)
    # A family of four needs an hour: no start after 11:00, none overlapping 09:00.
    assert all(
        f.starts_at.astimezone(BERLIN).hour < 11
        or (
            f.starts_at.astimezone(BERLIN).minute == 0 and f.starts_at.astimezone(BERLIN).hour == 11
        )
        for f in family
    )
    assert all(
        not (f.starts_at < THURSDAY_9 + timedelta(minutes=15) and f.ends_at > THURSDAY_9)
        for f in family
    )


def test_free_days_skip_weekends(office):
    days = selectors.free_days(
        office.location, office.service, 1, first_day=THURSDAY_9.date(), days=7
    )
    assert sorted(day.isoformat() for day in days) == [
        "2027-03-11", "2027-03-12", "2027-03-15", "2027-03-16", "2027-03-17"
    ]  # fmt: skip


def test_reminder_is_queued_once_the_day_before(office, frozen_clock):
    friday = THURSDAY_9 + timedelta(days=1)
    appointment = hold(office, starts_at=friday)
    services.confirm(token_from_mail(appointment))
    assert services.queue_reminders() == 0  # today is Wednesday
    frozen_clock.return_value = THURSDAY_9  # Thursday: Friday is tomorrow
    assert services.queue_reminders() == 1
    assert services.queue_reminders() == 0
    reminder = OutboxMail.objects.get(dedupe_key__contains=":reminder:")
    assert appointment.reference in reminder.subject and "/appointment/" in reminder.body


def test_staged_release_keeps_later_stages_closed(office, frozen_clock):
    from datetime import time as wall

    from willkommen.booking.models import ReleaseStage

    ReleaseStage.objects.filter(location=office.location).delete()
    ReleaseStage.objects.create(location=office.location, release_time=wall(7), share_percent=50)
    ReleaseStage.objects.create(location=office.location, release_time=wall(14), share_percent=50)
    services.materialise_slots(office.location)
    new_day = datetime(2027, 5, 10, 9, 0, tzinfo=BERLIN)  # released from 2027-03-11
    frozen_clock.return_value = datetime(2027, 3, 11, 8, 0, tzinfo=BERLIN)
    hold(office, 1, starts_at=new_day)
    with pytest.raises(SlotTaken):  # only the 07:00 half (one of two places) is out
        hold(office, 2, starts_at=new_day)
    frozen_clock.return_value = datetime(2027, 3, 11, 14, 1, tzinfo=BERLIN)
    assert hold(office, 2, starts_at=new_day).status == Status.HELD


def test_closure_removes_free_capacity_but_keeps_bookings(office):
    from willkommen.booking.models import Closure

    appointment = hold(office)
    Closure.objects.create(
        location=office.location, starts_on=THURSDAY_9.date(), ends_on=THURSDAY_9.date(),
        reason="Betriebsversammlung",
    )  # fmt: skip
    services.materialise_slots(office.location)
    assert (
        selectors.free_times(
            office.location, office.service, 1, first_day=THURSDAY_9.date(), days=1
        )
        == []
    )
    slot = Slot.objects.get(location=office.location, starts_at=THURSDAY_9, channel=Channel.ONLINE)
    assert (slot.capacity, slot.booked) == (1, 1)
    appointment.refresh_from_db()
    assert appointment.status == Status.HELD


def test_team_service_takes_its_teams_capacity(office):
    from datetime import date
    from datetime import time as wall

    from tests.catalog.factories import ServiceFactory
    from willkommen.booking.models import OpeningRule

    team_service = ServiceFactory(duration_minutes=30, max_persons=1)
    OpeningRule.objects.create(
        location=office.location, team=team_service.team, weekdays=[3], start_time=wall(13),
        end_time=wall(15), valid_from=date(2027, 1, 1), slot_minutes=30, online_capacity=1,
    )  # fmt: skip
    services.materialise_slots(office.location)
    times = selectors.free_times(
        office.location, team_service, 1, first_day=THURSDAY_9.date(), days=1
    )
    assert [t.starts_at.astimezone(BERLIN).strftime("%H:%M") for t in times] == [
        "13:00", "13:30", "14:00", "14:30",
    ]  # fmt: skip
    booked = services.book(
        location=office.location, service=team_service, persons=1,
        starts_at=times[0].starts_at, applicant=applicant(9),
    )  # fmt: skip
    assert booked.capacity_team_id == team_service.team_id


def test_service_rule_caps_minutes_and_asks_for_birth_date(office):
    from willkommen.booking.models import ServiceBookingRule

    ServiceBookingRule.objects.create(service=office.service, max_minutes=30, asks_birth_date=True)
    office.service.refresh_from_db()
    with pytest.raises(InvalidRequest):
        hold(office, persons=4)  # no date of birth
    family = services.book(
        location=office.location, service=office.service, persons=4, starts_at=THURSDAY_9,
        applicant=services.Applicant("Big Family", "fam@example.org", birth_date=date_(1980)),
    )  # fmt: skip
    assert family.ends_at - family.starts_at == timedelta(minutes=30)  # not 4 × 15


def date_(year):
    from datetime import date

    return date(year, 1, 1)


def test_materialise_is_idempotent(office):
    before = Slot.objects.count()
    assert services.materialise_slots(office.location) == 0
    assert Slot.objects.count() == before


def test_rebooked_away_time_returns_only_after_the_delay(office, frozen_clock, settings):
    settings.BOOKING_CANCELLED_RETURN_MINUTES = 30
    appointment = hold(office)
    services.confirm(token_from_mail(appointment))
    services.rebook(appointment, starts_at=THURSDAY_9 + timedelta(hours=1))
    assert booked(office, THURSDAY_9) == 1
    frozen_clock.return_value += timedelta(minutes=31)
    assert services.return_due_capacity() == 1
    assert booked(office, THURSDAY_9) == 0
    assert booked(office, THURSDAY_9 + timedelta(hours=1)) == 1


def test_reference_collision_is_retried_with_a_new_reference(office, monkeypatch):
    first = hold(office, 1)
    fresh = iter([first.reference, "T-ZZZZZZ"])
    # Django reads a field's default through the cached _get_default.
    monkeypatch.setattr(
        Appointment._meta.get_field("reference"), "_get_default", lambda: next(fresh)
    )
    second = hold(office, 2)
    assert second.reference == "T-ZZZZZZ"
    assert booked(office) == 2  # the failed first try gave its unit back
    assert Appointment.objects.count() == 2


def test_a_duplicate_applicant_at_a_full_time_is_refused_and_takes_nothing(office):
    hold(office, 1)
    hold(office, 2)  # THURSDAY_9 is now full (online capacity 2)
    with pytest.raises((SlotTaken, AlreadyBooked)):
        hold(office, 1)
    assert booked(office) == 2
    assert Appointment.objects.count() == 2


def test_a_full_time_is_refused_by_a_read_without_writing(office):
    """In a rush most attempts lose: a loser reads the slot rows and writes nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    hold(office, 1)
    hold(office, 2)  # THURSDAY_9 is now full (online capacity 2)
    with CaptureQueriesContext(connection) as queries, pytest.raises(SlotTaken):
        hold(office, 3)
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []


def test_next_free_times_are_found_beyond_a_full_fortnight(office):
    from django.db.models import F

    fortnight = THURSDAY_9 + timedelta(days=14)
    Slot.objects.filter(starts_at__gte=THURSDAY_9, starts_at__lt=fortnight).update(
        booked=F("capacity")
    )
    found = selectors.next_free_times(office.location, office.service, 1, after=THURSDAY_9)
    whole_horizon = selectors.free_times(
        office.location, office.service, 1, first_day=THURSDAY_9.date(), days=61
    )
    assert found == [free for free in whole_horizon if free.starts_at >= THURSDAY_9][:5]
    assert len(found) == 5 and found[0].starts_at >= fortnight
