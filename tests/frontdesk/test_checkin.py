from datetime import timedelta

import pytest

from tests.accounts.factories import UserFactory
from tests.booking.factories import AppointmentFactory
from tests.frontdesk.factories import clerk_at, walk_in
from willkommen.accounts.roles import Role
from willkommen.booking import selectors as booking_selectors
from willkommen.booking.models import Status as AppointmentStatus
from willkommen.frontdesk import services
from willkommen.frontdesk.models import Visit
from willkommen.frontdesk.services import FrontdeskError

pytestmark = pytest.mark.django_db


@pytest.fixture
def reception(db):
    return UserFactory(roles=[Role.RECEPTION])


def test_check_in_links_the_visit_and_queues_it_as_an_appointment(office, frozen_clock, reception):
    now = frozen_clock.return_value
    appointment = AppointmentFactory(
        location=office["location"], service=office["extend"], persons=3,
        starts_at=now - timedelta(minutes=10),
    )  # fmt: skip
    visit = services.check_in(appointment=appointment, actor=reception)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CHECKED_IN
    assert visit.appointment == appointment and visit.priority == "appointment"
    assert visit.persons_present == 3 and visit.ticket == "A001"
    assert visit.queued_at == now  # late: queued from arrival, not from its slot


def test_early_arrival_waits_for_its_start(office, frozen_clock, reception):
    now = frozen_clock.return_value
    appointment = AppointmentFactory(
        location=office["location"], service=office["extend"], starts_at=now + timedelta(minutes=40)
    )
    early = services.check_in(appointment=appointment, actor=reception)
    walk = walk_in(office["location"], office["extend"])
    assert early.queued_at == appointment.starts_at
    clerk = clerk_at(office["family_counter"])
    assert services.call_next(user=clerk) == walk


def test_double_check_in_is_refused_and_changes_nothing(office, frozen_clock, reception):
    appointment = AppointmentFactory(location=office["location"], service=office["extend"])
    services.check_in(appointment=appointment, actor=reception)
    with pytest.raises(FrontdeskError):
        services.check_in(appointment=appointment, actor=reception)
    assert Visit.objects.count() == 1


def test_check_in_on_another_day_is_refused(office, frozen_clock, reception):
    appointment = AppointmentFactory(
        location=office["location"], service=office["extend"],
        starts_at=frozen_clock.return_value + timedelta(days=1),
    )  # fmt: skip
    with pytest.raises(FrontdeskError):
        services.check_in(appointment=appointment, actor=reception)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED and not Visit.objects.exists()


def test_appointments_not_checked_in_become_no_shows(office, frozen_clock, settings):
    settings.FRONTDESK_APPOINTMENT_NO_SHOW_MINUTES = 15
    now = frozen_clock.return_value
    kw = {"location": office["location"], "service": office["extend"]}
    overdue = AppointmentFactory(starts_at=now - timedelta(minutes=16), **kw)
    grace = AppointmentFactory(starts_at=now - timedelta(minutes=14), **kw)
    arrived = AppointmentFactory(starts_at=now - timedelta(minutes=30), **kw)
    services.check_in(appointment=arrived, actor=None)
    assert services.mark_no_shows() == 1
    assert services.mark_no_shows() == 0  # idempotent
    statuses = {a.pk: a.status for a in type(overdue).objects.all()}
    assert statuses == {
        overdue.pk: AppointmentStatus.NO_SHOW,
        grace.pk: AppointmentStatus.CONFIRMED,
        arrived.pk: AppointmentStatus.CHECKED_IN,
    }
    # A no-show who turns up late after all can still be checked in.
    assert services.check_in(appointment=overdue, actor=None).appointment_id == overdue.pk


def test_the_no_show_sweep_asks_booking_which_appointments_are_due(office, frozen_clock):
    now = frozen_clock.return_value
    kw = {"location": office["location"], "service": office["extend"]}
    later = AppointmentFactory(starts_at=now - timedelta(minutes=20), **kw)
    first = AppointmentFactory(starts_at=now - timedelta(minutes=40), **kw)
    AppointmentFactory(starts_at=now - timedelta(minutes=5), **kw)  # not yet due
    cancelled = AppointmentFactory(starts_at=now - timedelta(minutes=50), **kw)
    cancelled.status = AppointmentStatus.CANCELLED
    cancelled.save(update_fields=["status"])
    due = booking_selectors.appointments_due_for_no_show(now - timedelta(minutes=15))
    assert list(due) == [first, later]
