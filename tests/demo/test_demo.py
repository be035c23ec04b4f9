"""The demo package: imported by nobody, and what it writes is what the apps could write."""

import ast
from datetime import datetime, timedelta
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

import willkommen
from tests.accounts.factories import UserFactory
from tests.frontdesk.factories import build_office
from willkommen.booking.models import Appointment, AppointmentEvent, OpeningRule, Slot
from willkommen.booking.states import APPOINTMENT
from willkommen.core import clock
from willkommen.frontdesk import services
from willkommen.frontdesk.models import Origin, Priority, Visit, VisitTransition
from willkommen.frontdesk.services import FrontdeskError, PastVisit, WorkItemLine
from willkommen.frontdesk.states import TABLE, Action

SRC = Path(willkommen.__file__).resolve().parent
TODAY = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("UTC"))


def test_nothing_outside_the_demo_package_imports_it():
    importers = []
    for path in SRC.rglob("*.py"):
        if path.is_relative_to(SRC / "demo"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            if any(
                name == "willkommen.demo" or name.startswith("willkommen.demo.") for name in names
            ):
                importers.append(str(path.relative_to(SRC)))
    assert importers == []


def test_the_demo_does_not_reach_into_private_helpers_of_other_apps():
    private = []
    for path in (SRC / "demo").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("willkommen."):
                private += [f"{path.name}: {a.name}" for a in node.names if a.name.startswith("_")]
    assert private == []


@pytest.mark.django_db
def test_the_history_walks_the_apps_transition_tables():
    with mock.patch("willkommen.core.clock.now", return_value=TODAY):
        call_command("load_demo_catalog", verbosity=0)
        call_command(
            "generate_demo_history", days=8, visits_per_day=6, cases_per_day=0, verbosity=0
        )
    assert Visit.objects.count() > 20
    for visit in Visit.objects.prefetch_related("transitions"):
        status = ""
        for event in sorted(visit.transitions.all(), key=lambda e: (e.at, e.pk)):
            expected = TABLE.target(status, event.action) if status else TABLE.start(event.action)
            assert (event.from_status, event.to_status) == (status, expected)
            status = expected
        assert visit.status == status
    assert Appointment.objects.exists()
    for appointment in Appointment.objects.prefetch_related("events"):
        events = sorted(appointment.events.all(), key=lambda e: (e.at, e.pk))
        assert events[0].action == "create" and events[0].from_status == ""
        status = events[0].to_status
        for event in events[1:]:
            assert event.from_status == status
            status = APPOINTMENT.target(status, event.action)
            assert event.to_status == status
        assert appointment.status == status
    # A second run changes nothing (the history exists).
    counts = (Visit.objects.count(), AppointmentEvent.objects.count())
    with mock.patch("willkommen.core.clock.now", return_value=TODAY):
        call_command("generate_demo_history", days=8, visits_per_day=6, verbosity=0)
    assert (Visit.objects.count(), AppointmentEvent.objects.count()) == counts


@pytest.mark.django_db
def test_past_visits_are_numbered_and_moved_along_the_table(frozen_clock):
    office = build_office()
    location, extend = office["location"], office["extend"]
    yesterday = clock.local_today(location.timezone) - timedelta(days=1)
    arrived = frozen_clock.return_value - timedelta(days=1)
    clerk = UserFactory()

    def past(steps, origin=Origin.WALK_IN):
        visit = Visit(
            location=location, service_day=yesterday, service=extend, team=extend.team,
            origin=origin, priority=Priority.WALK_IN, persons_present=1,
            created_at=arrived, queued_at=arrived,
        )  # fmt: skip
        times = [arrived + timedelta(minutes=m) for m in range(len(steps))]
        work = [WorkItemLine(extend, "A")]
        return PastVisit(visit, list(zip(steps, times, strict=True)), work, clerk)

    served = [Action.ISSUE, Action.CALL, Action.START, Action.FINISH]
    written = services.record_past_visits([past(served), past([Action.SETTLE], Origin.RECEPTION)])
    assert written == (2, 2)
    visits = list(Visit.objects.order_by("ticket_number"))
    assert [(v.ticket, v.status) for v in visits] == [("A001", "done"), ("A002", "done")]
    assert VisitTransition.objects.filter(visit=visits[0]).count() == 4


@pytest.mark.django_db
def test_past_visits_refuse_today_and_impossible_stories(frozen_clock):
    office = build_office()
    location, extend = office["location"], office["extend"]
    now = frozen_clock.return_value

    def visit(day):
        return Visit(
            location=location, service_day=day, service=extend, team=extend.team,
            origin=Origin.WALK_IN, priority=Priority.WALK_IN, persons_present=1,
            created_at=now, queued_at=now,
        )  # fmt: skip

    today = clock.local_today(location.timezone)
    with pytest.raises(FrontdeskError):
        services.record_past_visits([PastVisit(visit(today), [(Action.ISSUE, now)], [], None)])
    impossible = [(Action.ISSUE, now), (Action.START, now)]  # started, never called
    with pytest.raises(services.TransitionNotAllowed):
        services.record_past_visits(
            [PastVisit(visit(today - timedelta(days=1)), impossible, [], None)]
        )
    assert not Visit.objects.exists() and not VisitTransition.objects.exists()


@pytest.mark.django_db
def test_demo_booking_rules_and_slots_come_through_booking():
    call_command("load_demo_catalog", verbosity=0)
    call_command("create_demo_staff", verbosity=0)
    call_command("load_demo_booking", verbosity=0)
    rules = OpeningRule.objects.count()
    slots = Slot.objects.count()
    assert rules > 0 and slots > 0
    call_command("load_demo_booking", verbosity=0)  # idempotent
    assert (OpeningRule.objects.count(), Slot.objects.count()) == (rules, slots)
