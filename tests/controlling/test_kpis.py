"""Every key figure checked against a small history built by hand.

The histories are written through the apps' own services (with the clock
moved), so the figures are proven against the records the office really keeps.
"""

from datetime import timedelta

import pytest

from tests.controlling.conftest import DAY
from willkommen.controlling import kpis, periods
from willkommen.frontdesk.models import Priority


def day_scope(**kwargs):
    return kpis.Scope(periods.day(DAY), **kwargs)


def test_visits_count_persons_and_work_items_side_by_side(morning):
    figures = kpis.visit_figures(day_scope())
    # The father for himself and three children: 1 visit, 1 person present, 4 work items.
    assert (figures.visits, figures.persons, figures.work_items) == (4, 5, 8)
    assert figures.settled_at_reception == 1
    assert figures.interim_certificates == 1
    ((only_day, row),) = figures.by_day
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
