"""Request windows: registration instead of a race, allocation by a documented rule."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from willkommen.booking import selectors, services
from willkommen.booking.errors import InvalidRequest
from willkommen.booking.models import (
    AllocationRule,
    Appointment,
    RequestWindow,
    Slot,
    Status,
    WindowRegistration,
)
from willkommen.core.models import OutboxMail

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2027, 3, 15)  # a Monday: 16 slots × 2 online places


@pytest.fixture
def window(office, frozen_clock):
    now = frozen_clock.return_value
    return RequestWindow.objects.create(
        location=office.location, service=office.service, opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1), first_day=DAY, last_day=DAY,
    )  # fmt: skip


def register(window, n, expires=None):
    return services.register_interest(
        window,
        applicant=services.Applicant(f"Person {n}", f"p{n}@example.org"),
        permit_expires_on=expires,
    )


def test_window_days_cannot_be_booked_online_while_open(office, window):
    assert selectors.free_times(office.location, office.service, 1, first_day=DAY, days=1) == []
    with pytest.raises(InvalidRequest):
        services.book(
            location=office.location, service=office.service, persons=1,
            starts_at=datetime(2027, 3, 15, 9, 0, tzinfo=BERLIN),
            applicant=services.Applicant("Fast Bot", "bot@example.org"),
        )  # fmt: skip
    other_day = selectors.free_times(
        office.location, office.service, 1, first_day=DAY + timedelta(days=1), days=1
    )
    assert len(other_day) == 16


def test_registration_once_per_person_and_only_while_open(window, frozen_clock):
    register(window, 1)
    with pytest.raises(InvalidRequest):
        register(window, 1)
    assert OutboxMail.objects.filter(to="p1@example.org").count() == 1
    frozen_clock.return_value = window.closes_at
    with pytest.raises(InvalidRequest):
        register(window, 2)
    assert WindowRegistration.objects.count() == 1


def test_lottery_gives_each_at_most_one_and_exactly_the_capacity(office, window, frozen_clock):
    registrations = [register(window, n) for n in range(40)]
    assert services.allocate_window(window) == 0  # still open: nothing happens
    frozen_clock.return_value = window.closes_at + timedelta(minutes=1)
    assert services.allocate_window(window) == 32  # 16 slots × 2 places
    assert services.allocate_window(window) == 0  # once only
    appointments = Appointment.objects.filter(status=Status.CONFIRMED)
    assert appointments.count() == 32
    assert len({a.applicant_email for a in appointments}) == 32
    for slot in Slot.objects.filter(location=office.location, channel="online"):
        assert slot.booked <= slot.capacity
    # The draw does not follow the order of registration.
    order = [r.pk for r in services.allocation_order(window)]
    assert order != sorted(order)
    assert sorted(order) == sorted(r.pk for r in registrations)
    losers = WindowRegistration.objects.filter(appointment__isnull=True)
    assert losers.count() == 8
    for loser in losers:
        assert OutboxMail.objects.filter(dedupe_key__endswith=f"{loser.pk}:not-allocated").exists()
    # Afterwards the days are normal again.
    window.refresh_from_db()
    assert window.allocated_at is not None
    assert selectors.free_times(office.location, office.service, 1, first_day=DAY, days=1) == []


def test_earliest_expiry_first(office, window, frozen_clock):
    window.rule = AllocationRule.EARLIEST_EXPIRY
    window.save()
    late = register(window, 1, expires=date(2027, 9, 1))
    early = register(window, 2, expires=date(2027, 3, 20))
    unknown = register(window, 3)
    assert services.allocation_order(window) == [early, late, unknown]
    frozen_clock.return_value = window.closes_at
    services.allocate_window(window)
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.appointment.pk < late.appointment.pk  # served first


def test_registration_page(client, office, window):
    page = client.get(f"/de/appointments/window/{window.pk}/")
    assert page.status_code == 200
    sent = client.post(
        f"/de/appointments/window/{window.pk}/",
        {"name": "Web Person", "email": "web@example.org", "consent": "on"},
    )
    assert sent.status_code == 200 and "web@example.org" in sent.content.decode()
    assert WindowRegistration.objects.get().applicant_name == "Web Person"
    again = client.post(
        f"/de/appointments/window/{window.pk}/",
        {"name": "Web Person", "email": "web@example.org", "consent": "on"},
    )
    assert again.status_code == 409
    assert f"/appointments/window/{window.pk}/" in client.get("/de/appointments/").content.decode()
