"""The state machines of booking (core.states tables), edge by edge: in the table, and
through the database (each allowed edge works and records its event; a refused one
changes nothing), and the front-desk operations on them."""

import contextlib
from datetime import datetime, timedelta
from itertools import product
from zoneinfo import ZoneInfo

import pytest

from tests.accounts.factories import UserFactory
from tests.booking.factories import AppointmentFactory
from willkommen.booking import links, selectors, services
from willkommen.booking.errors import BookingError, TooEarly, WrongDay
from willkommen.booking.models import (
    AppointmentEvent,
    Channel,
    EmergencyReason,
    EmergencyRequest,
    RequestEvent,
    Slot,
    Status,
)
from willkommen.booking.models.events import AppendOnlyError
from willkommen.booking.states import (
    APPOINTMENT,
    EMERGENCY_REQUEST,
    Action,
    RequestAction,
    RequestStatus,
)
from willkommen.core import clock
from willkommen.core.states import TransitionNotAllowed

pytestmark = pytest.mark.usefixtures("frozen_clock")

BERLIN = ZoneInfo("Europe/Berlin")
TODAY_11 = datetime(2027, 3, 10, 11, 0, tzinfo=BERLIN)  # the frozen clock says 10:00
THURSDAY_9 = datetime(2027, 3, 11, 9, 0, tzinfo=BERLIN)

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
CHANGES = [action for action in Action if action != Action.CREATE]


@pytest.mark.parametrize(("action", "current"), list(product(CHANGES, Status)))
def test_every_edge_of_the_table(action, current):
    expected = ALLOWED.get((action, current))
    if expected is None:
        with pytest.raises(TransitionNotAllowed) as refused:
            APPOINTMENT.target(current, action)
        assert refused.value.http_status == 409
        assert refused.value.message == APPOINTMENT.message  # translated, of the appointment
    else:
        assert APPOINTMENT.target(current, action) == expected


def test_the_table_has_exactly_the_listed_edges():
    assert {(status, action) for (action, status) in ALLOWED} == set(APPOINTMENT.edges)


def test_unknown_action_is_refused():
    with pytest.raises(TransitionNotAllowed):
        APPOINTMENT.target(Status.CONFIRMED, "teleport")


# --- every edge through the database ------------------------------------------------


def _book(office, n, *, channel, starts_at):
    return services.book(
        location=office.location,
        service=office.service,
        persons=1,
        starts_at=starts_at,
        applicant=services.Applicant(name=f"Ada Edge{n}", email=f"edge{n}@example.org"),
        channel=channel,
    )


def reach(office, frozen_clock, status):
    """An appointment in ``status``, got there through the services only."""
    if status in (Status.HELD, Status.EXPIRED):
        appointment = _book(office, 1, channel=Channel.ONLINE, starts_at=THURSDAY_9)
        if status == Status.EXPIRED:
            frozen_clock.return_value = appointment.hold_expires_at
            assert services.expire_due_holds() == 1
        return appointment
    appointment = _book(office, 1, channel=Channel.STAFF, starts_at=TODAY_11)
    if status == Status.CANCELLED:
        services.cancel(appointment)
    elif status == Status.CHECKED_IN:
        services.check_in(appointment, actor=None)
    elif status == Status.NO_SHOW:
        frozen_clock.return_value = TODAY_11 + timedelta(minutes=5)
        services.record_no_show(appointment, actor=None)
    return appointment


def act(appointment, action, frozen_clock, actor):
    """Ask the service of ``action`` for it (as the pages, the sweep and the desk do)."""
    if action == Action.CONFIRM:
        services.confirm(links.make_token(appointment, links.CONFIRM))
    elif action == Action.EXPIRE:
        if appointment.hold_expires_at:
            frozen_clock.return_value = max(clock.now(), appointment.hold_expires_at)
        services.expire_due_holds()
    elif action == Action.CANCEL:
        services.cancel(appointment, actor=actor, note="asked by phone")
    elif action == Action.REBOOK:
        services.rebook(appointment, starts_at=appointment.starts_at + timedelta(minutes=15))
    elif action == Action.CHECK_IN:
        services.check_in(appointment, actor=actor)
    elif action == Action.NO_SHOW:
        frozen_clock.return_value = max(clock.now(), appointment.starts_at + timedelta(minutes=5))
        services.record_no_show(appointment, actor=actor)


def state_of(appointment):
    appointment.refresh_from_db()
    booked = sum(Slot.objects.values_list("booked", flat=True))
    return appointment.status, appointment.events.count(), appointment.link_version, booked


@pytest.mark.parametrize(("action", "current"), list(product(CHANGES, Status)))
def test_every_edge_through_the_database(office, frozen_clock, action, current):
    appointment = reach(office, frozen_clock, current)
    assert appointment.status == current or state_of(appointment)[0] == current
    before = state_of(appointment)
    expected = ALLOWED.get((action, current))
    clerk = UserFactory()
    if expected is None:
        # The table's refusal (TransitionNotAllowed); a confirmation link of a time no
        # longer held says "expired" instead, and the sweep just passes it by.
        with contextlib.suppress(TransitionNotAllowed, BookingError):
            act(appointment, action, frozen_clock, clerk)
        assert state_of(appointment) == before  # nothing changed, not even the history
        return
    act(appointment, action, frozen_clock, clerk)
    status, events, _version, _booked = state_of(appointment)
    assert (status, events) == (expected, before[1] + 1)
    event = appointment.events.last()
    assert (event.action, event.from_status, event.to_status) == (action, current, expected)
    assert event.starts_at == appointment.starts_at
    if action in (Action.CANCEL, Action.CHECK_IN, Action.NO_SHOW):
        assert event.actor == clerk


@pytest.mark.parametrize(
    ("action", "current"),
    [
        (Action.CANCEL, Status.CANCELLED),
        (Action.CANCEL, Status.CHECKED_IN),
        (Action.REBOOK, Status.HELD),
        (Action.CHECK_IN, Status.CANCELLED),
        (Action.NO_SHOW, Status.CHECKED_IN),
    ],
)
def test_refused_edges_raise_the_one_transition_error(office, frozen_clock, action, current):
    appointment = reach(office, frozen_clock, current)
    before = state_of(appointment)
    with pytest.raises(TransitionNotAllowed):
        act(appointment, action, frozen_clock, None)
    assert state_of(appointment) == before


def _emergency_request(office):
    return services.submit_emergency_request(
        location=office.location,
        service=office.service,
        reason=EmergencyReason.MEDICAL,
        permit_expires_on=None,
        applicant=services.Applicant(name="Ada Urgent", email="urgent@example.org"),
        message="urgent",
    )


def test_an_emergency_request_starts_open_with_its_event(office):
    request = _emergency_request(office)
    assert request.status == RequestStatus.OPEN == EMERGENCY_REQUEST.start(RequestAction.SUBMIT)
    event = request.events.get()
    assert (event.action, event.from_status, event.to_status) == (
        RequestAction.SUBMIT,
        "",
        RequestStatus.OPEN,
    )


@pytest.mark.parametrize("first", [RequestAction.ACCEPT, RequestAction.REJECT])
def test_every_emergency_request_edge_through_the_database(office, first):
    clerk = UserFactory()

    def handle(request, action):
        if action == RequestAction.ACCEPT:
            return services.accept_emergency_request(request, starts_at=THURSDAY_9, actor=clerk)
        return services.reject_emergency_request(request, reason="not urgent", actor=clerk)

    request = _emergency_request(office)
    handle(request, first)
    request.refresh_from_db()
    target = EMERGENCY_REQUEST.target(RequestStatus.OPEN, first)
    assert request.status == target and request.handled_by == clerk
    event = request.events.last()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        first,
        RequestStatus.OPEN,
        target,
        clerk,
    )
    appointments = (
        AppointmentEvent.objects.count(),
        RequestEvent.objects.count(),
        sum(Slot.objects.values_list("booked", flat=True)),
    )
    for second in (RequestAction.ACCEPT, RequestAction.REJECT):  # handled: no edge left
        with pytest.raises(TransitionNotAllowed):
            handle(request, second)
    request.refresh_from_db()
    assert request.status == target
    assert appointments == (
        AppointmentEvent.objects.count(),
        RequestEvent.objects.count(),
        sum(Slot.objects.values_list("booked", flat=True)),
    )
    assert EmergencyRequest.objects.count() == 1


# --- the front-desk operations ------------------------------------------------------


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
