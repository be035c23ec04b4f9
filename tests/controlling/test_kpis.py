"""Every key figure checked against a small history built by hand.

The histories are written through the apps' own services (with the clock
moved), so the figures are proven against the records the office really keeps.
"""

from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from tests.accounts.factories import UserFactory
from tests.frontdesk.conftest import office  # noqa: F401 - a fixture
from willkommen.accounts.roles import Role
from willkommen.controlling import kpis, periods
from willkommen.frontdesk import services as frontdesk
from willkommen.frontdesk.models import Priority
from willkommen.frontdesk.services import WorkItemLine

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2027, 3, 10)


class Clock:
    """The office clock, moved by the test: ``clock.at("08:12")``."""

    def __init__(self, day: date):
        self.day = day
        self.moment = datetime(day.year, day.month, day.day, 7, 0, tzinfo=BERLIN)

    def at(self, hhmm: str, day: date | None = None):
        hours, minutes = map(int, hhmm.split(":"))
        day = day or self.day
        self.moment = datetime(day.year, day.month, day.day, hours, minutes, tzinfo=BERLIN)
        return self

    def __call__(self):
        return self.moment


@pytest.fixture
def clock():
    moving = Clock(DAY)
    with mock.patch("willkommen.core.clock.now", side_effect=moving):
        yield moving


@pytest.fixture
def morning(office, clock):  # noqa: F811 - the fixture from frontdesk
    """One clerk's morning, by hand:

    - 08:00 a father takes a walk-in ticket, 08:05 a woman with her husband (2 persons),
      08:10 an emergency ticket;
    - the clerk calls the emergency at 08:12 (waited 2 min), serves 08:13–08:23, 1 work item;
    - calls the father at 08:25 (25 min), serves 08:27–08:47: himself and his three
      children, who stayed at home: 1 person present, 4 work items;
    - calls the woman at 08:50 (45 min), serves 08:51–09:01, 2 persons, 2 work items;
    - 09:05 reception settles a short matter at the desk: 1 person, 1 work item.
    - Next day: one more walk-in, outside a one-day period.
    """
    reception = UserFactory(roles=[Role.RECEPTION])
    clerk = UserFactory(roles=[Role.CLERK], member_of=[office["family"]])
    extend, location = office["extend"], office["location"]

    def ticket(hhmm, persons=1, emergency=False, day=None):
        clock.at(hhmm, day)
        return frontdesk.issue_ticket(
            location=location,
            service=extend,
            persons_present=persons,
            actor=reception,
            emergency=emergency,
            emergency_reason="Aufenthaltstitel läuft morgen ab" if emergency else "",
        )

    def serve(visit, call, start, end, persons, lines):
        clock.at(call)
        frontdesk.call_visit(visit.pk, user=clerk)
        clock.at(start)
        frontdesk.start(visit.pk, user=clerk)
        clock.at(end)
        frontdesk.finish(visit.pk, user=clerk, persons_present=persons, work_items=lines)

    father = ticket("08:00")
    woman = ticket("08:05", persons=2)
    urgent = ticket("08:10", emergency=True)
    clock.at("08:11")
    frontdesk.sign_in(user=clerk, counter=office["family_counter"])
    serve(urgent, "08:12", "08:13", "08:23", 1, [WorkItemLine(extend, "Frau K.")])
    children = [WorkItemLine(extend, f"Kind {n}", person_present=False) for n in (1, 2, 3)]
    serve(father, "08:25", "08:27", "08:47", 1, [WorkItemLine(extend, "Herr A."), *children])
    serve(
        woman,
        "08:50",
        "08:51",
        "09:01",
        2,
        [WorkItemLine(extend, "Frau B."), WorkItemLine(extend, "Herr B.")],
    )
    clock.at("09:05")
    frontdesk.settle_at_reception(
        location=location,
        service=office["pickup"],
        persons_present=1,
        work_items=[WorkItemLine(office["pickup"], "Herr C.")],
        actor=reception,
        interim_certificate=True,
    )
    ticket("08:00", day=DAY + timedelta(days=1))
    return office


def day_scope(**kwargs):
    return kpis.Scope(periods.day(DAY), **kwargs)


def test_visits_count_persons_and_work_items_side_by_side(morning):
    figures = kpis.visit_figures(day_scope())
    # The father for himself and three children: 1 visit, 1 person present, 4 work items.
    assert (figures.visits, figures.persons, figures.work_items) == (4, 5, 8)
    assert figures.settled_at_reception == 1
    assert figures.interim_certificates == 1
    (only_day, row), = figures.by_day
    assert only_day == DAY and (row.visits, row.persons, row.work_items) == (4, 5, 8)
    by_service = {row.label: row for row in figures.by_service}
    extend, pickup = str(morning["extend"]), str(morning["pickup"])
    assert (by_service[extend].visits, by_service[extend].work_items) == (3, 7)
    assert (by_service[pickup].visits, by_service[pickup].work_items) == (1, 1)


def test_a_week_spreads_over_its_days_and_includes_the_next_day(morning):
    figures = kpis.visit_figures(kpis.Scope(periods.week_of(DAY)))
    assert figures.visits == 5
    assert len(figures.by_day) == 7
    per_day = {day: row.visits for day, row in figures.by_day}
    assert per_day[DAY] == 4 and per_day[DAY + timedelta(days=1)] == 1
    assert per_day[DAY - timedelta(days=1)] == 0


def test_filters_by_team_and_location(morning):
    assert kpis.visit_figures(day_scope(team_id=morning["work"].pk)).visits == 0
    assert kpis.visit_figures(day_scope(team_id=morning["family"].pk)).visits == 4
    assert kpis.visit_figures(day_scope(location_id=morning["location"].pk)).visits == 4
    assert kpis.visit_figures(day_scope(service_id=morning["pickup"].pk)).work_items == 1


def test_waiting_and_serving_times_from_the_transitions(morning):
    rows = {row.priority: row for row in kpis.time_figures(day_scope())}
    everyone = rows[""]
    assert everyone.called == 3
    assert everyone.wait_median == pytest.approx(25)
    assert everyone.wait_p90 == pytest.approx(41)  # 25 + 0.8 × (45 − 25)
    assert everyone.within_target == pytest.approx(1 / 3)
    assert everyone.served == 3
    assert everyone.serve_median == pytest.approx(10)
    assert rows[Priority.WALK_IN].wait_median == pytest.approx(35)
    assert rows[Priority.EMERGENCY].wait_median == pytest.approx(2)
    assert rows[Priority.APPOINTMENT].called == 0
    assert rows[Priority.APPOINTMENT].wait_median is None


def test_an_empty_period_gives_zeros_not_errors(db):
    scope = kpis.Scope(periods.month(2020, 1))
    visits = kpis.visit_figures(scope)
    assert (visits.visits, visits.persons, visits.work_items) == (0, 0, 0)
    assert all(row.visits == 0 for _day, row in visits.by_day)
    assert kpis.time_figures(scope)[0].wait_median is None
    assert kpis.appointment_figures(scope).total.booked == 0
    assert kpis.emergency_figures(scope).answer_hours_median is None
    assert kpis.case_figures(scope).backlog == 0


def test_quantile_interpolates_linearly():
    assert kpis.quantile([], 0.5) is None
    assert kpis.quantile([4], 0.9) == 4
    assert kpis.quantile([1, 2, 3, 4], 0.5) == pytest.approx(2.5)
