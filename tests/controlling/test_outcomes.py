"""Visits broken down by what became of them, read from their transitions."""

from datetime import date

import pytest

from tests.accounts.factories import UserFactory
from tests.controlling.conftest import DAY
from willkommen.accounts.roles import Role
from willkommen.controlling import kpis, outcomes, periods
from willkommen.frontdesk import services as frontdesk


@pytest.fixture
def unserved(morning, clock):
    """The morning, and three visitors who were never served:

    - 10:00 a walk-in (2 persons) is called three times and is not there: no-show;
    - 10:05 a walk-in leaves before being called (reception records it);
    - 10:20 a walk-in is still waiting at the end of the test.
    """
    reception = UserFactory(roles=[Role.RECEPTION])
    clerk = UserFactory(roles=[Role.CLERK], member_of=[morning["family"]])
    location, extend = morning["location"], morning["extend"]

    def ticket(hhmm, persons=1):
        clock.at(hhmm)
        return frontdesk.issue_ticket(
            location=location, service=extend, persons_present=persons, actor=reception
        )

    absent, gone = ticket("10:00", persons=2), ticket("10:05")
    ticket("10:20")
    clock.at("10:10")
    frontdesk.sign_in(user=clerk, counter=morning["family_counter_2"])
    frontdesk.call_visit(absent.pk, user=clerk)
    for hhmm in ("10:11", "10:12"):
        clock.at(hhmm)
        frontdesk.recall(absent.pk, user=clerk)
    clock.at("10:13")
    frontdesk.record_no_show(absent.pk, user=clerk)
    clock.at("10:15")
    frontdesk.record_left(gone.pk, actor=reception)
    return morning


def test_every_visit_is_counted_and_broken_down_by_what_became_of_it(unserved):
    figures = kpis.visit_figures(kpis.Scope(periods.day(DAY)))
    # 4 visits of the morning and 3 later ones: every checked-in person counts.
    assert (figures.visits, figures.persons, figures.work_items) == (7, 9, 8)
    assert figures.outcomes.counts == {
        outcomes.SERVED: 3,
        outcomes.SETTLED: 1,
        outcomes.NO_SHOW: 1,
        outcomes.LEFT: 1,
        outcomes.WAITING: 1,
    }
    assert figures.outcomes.total == figures.visits
    assert figures.left_unserved == 2 and figures.settled_at_reception == 1
    persons = figures.persons_by_outcome
    assert (persons[outcomes.SERVED], persons[outcomes.NO_SHOW], persons.left_unserved) == (4, 2, 3)
    assert persons.total == figures.persons
    (row,) = figures.by_service[:1]
    assert row.outcomes.total == row.visits and row.persons_by_outcome.total == row.persons


def test_left_unserved_is_a_share_of_persons_by_hour_of_arrival(unserved):
    by_hour = {row.hour: row for row in kpis.visit_figures(kpis.Scope(periods.day(DAY))).by_hour}
    assert sorted(by_hour) == [8, 9, 10]
    assert (by_hour[8].persons, by_hour[8].left_unserved) == (4, 0)
    # At 10: 2 + 1 left unserved of 4 persons (the one still waiting has not left).
    assert (by_hour[10].persons, by_hour[10].left_unserved) == (4, 3)
    assert by_hour[10].share == pytest.approx(0.75)


def test_an_empty_period_has_no_hours(db):
    figures = kpis.visit_figures(kpis.Scope(periods.day(date(2020, 1, 1))))
    assert figures.by_hour == [] and figures.outcomes.total == 0
