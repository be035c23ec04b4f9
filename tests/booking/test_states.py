"""The appointment state machine, edge by edge, and the front-desk operations on it."""

from datetime import timedelta
from itertools import product

import pytest

from tests.accounts.factories import UserFactory
from tests.booking.factories import AppointmentFactory
from willkommen.booking import selectors, services
from willkommen.booking.errors import TooEarly, TransitionNotAllowed, WrongDay
from willkommen.booking.models import AppointmentEvent, Status
from willkommen.booking.models.events import AppendOnlyError
from willkommen.booking.states import APPOINTMENT_TRANSITIONS, Action, target_of
from willkommen.core import clock

pytestmark = pytest.mark.usefixtures("frozen_clock")

ALLOWED = {
    (Action.CONFIRM, Status.HELD): Status.CONFIRMED,
    (Action.EXPIRE, Status.HELD): Status.EXPIRED,
    (Action.CANCEL, Status.HELD): Status.CANCELLED,
    (Action.CANCEL, Status.CONFIRMED): Status.CANCELLED,
    (Action.REBOOK, Status.CONFIRMED): Status.CONFIRMED,
    (Action.CHECK_IN, Status.CONFIRMED): Status.CHECKED_IN,
    (Action.CHECK_IN, Status.NO_SHOW): Status.CHECKED_IN,
    (Action.NO_SHOW, Status.CONFIRMED): Status.NO_SHOW,
}


@pytest.mark.parametrize(("action", "current"), list(product(APPOINTMENT_TRANSITIONS, Status)))
def test_every_edge_of_the_table(action, current):
    expected = ALLOWED.get((action, current))
    if expected is None:
        with pytest.raises(TransitionNotAllowed):
            target_of(APPOINTMENT_TRANSITIONS, action, current)
    else:
        assert target_of(APPOINTMENT_TRANSITIONS, action, current) == expected


def test_unknown_action_is_refused():
    with pytest.raises(TransitionNotAllowed):
        target_of(APPOINTMENT_TRANSITIONS, "teleport", Status.CONFIRMED)


@pytest.mark.django_db
def test_check_in_records_the_event_with_actor():
    clerk = UserFactory()
    appointment = AppointmentFactory()
    services.check_in(appointment, actor=clerk)
    appointment.refresh_from_db()
    assert appointment.status == Status.CHECKED_IN
    event = appointment.events.last()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        Action.CHECK_IN,
        Status.CONFIRMED,
        Status.CHECKED_IN,
        clerk,
    )


@pytest.mark.django_db
def test_double_check_in_is_refused_and_changes_nothing():
    appointment = AppointmentFactory()
    services.check_in(appointment, actor=None)
    with pytest.raises(TransitionNotAllowed):
        services.check_in(appointment, actor=None)
    assert appointment.events.filter(action=Action.CHECK_IN).count() == 1


@pytest.mark.django_db
def test_check_in_of_a_cancelled_appointment_is_refused():
    appointment = AppointmentFactory(status=Status.CANCELLED)
    with pytest.raises(TransitionNotAllowed):
        services.check_in(appointment, actor=None)
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED


@pytest.mark.django_db
def test_check_in_only_on_the_day_of_the_appointment():
    appointment = AppointmentFactory(starts_at=clock.now() + timedelta(days=2))
    with pytest.raises(WrongDay):
        services.check_in(appointment, actor=None)
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED


@pytest.mark.django_db
def test_no_show_only_after_the_start_then_late_check_in(frozen_clock):
    appointment = AppointmentFactory(starts_at=clock.now() + timedelta(minutes=30))
    with pytest.raises(TooEarly):
        services.record_no_show(appointment, actor=None)
    frozen_clock.return_value = clock.now() + timedelta(minutes=45)
    services.record_no_show(appointment, actor=None)
    appointment.refresh_from_db()
    assert appointment.status == Status.NO_SHOW
    with pytest.raises(TransitionNotAllowed):
        services.record_no_show(appointment, actor=None)
    services.check_in(appointment, actor=None)
    appointment.refresh_from_db()
    assert appointment.status == Status.CHECKED_IN
    assert [e.action for e in appointment.events.all()] == [
        Action.CREATE,
        Action.NO_SHOW,
        Action.CHECK_IN,
    ]


@pytest.mark.django_db
def test_events_are_append_only():
    event = AppointmentFactory().events.get()
    event.note = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AppointmentEvent.objects.get(pk=event.pk).note == ""


@pytest.mark.django_db
def test_find_by_reference_as_typed_or_scanned():
    appointment = AppointmentFactory()
    typed = appointment.reference[2:].lower()
    assert selectors.appointment_by_reference(typed) == appointment
    assert selectors.appointment_by_reference(f" t-{typed} ") == appointment
    assert selectors.appointment_by_reference("T-ZZZZZZ") is None
    assert selectors.appointment_by_reference("") is None


@pytest.mark.django_db
def test_todays_appointments_leave_out_cancelled_and_other_days():
    today = AppointmentFactory()
    AppointmentFactory(location=today.location, status=Status.CANCELLED)
    AppointmentFactory(location=today.location, starts_at=clock.now() + timedelta(days=3))
    AppointmentFactory()  # another location
    assert list(selectors.todays_appointments(today.location)) == [today]
