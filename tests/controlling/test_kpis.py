"""Every key figure checked against a small history built by hand.

The histories are written through the apps' own services (with the clock
moved), so the figures are proven against the records the office really keeps.
"""

from datetime import date, datetime, timedelta

import pytest

from tests.accounts.factories import UserFactory
from tests.controlling.conftest import BERLIN, DAY
from willkommen.accounts.roles import Role
from willkommen.controlling import kpis, periods
from willkommen.frontdesk.models import Priority


def day_scope(**kwargs):
    return kpis.Scope(periods.day(DAY), **kwargs)


def test_visits_count_persons_and_work_items_side_by_side(morning):
    figures = kpis.visit_figures(day_scope())
    # The father for himself and three children: 1 visit, 1 person present, 4 work items.
    assert (figures.visits, figures.persons, figures.work_items) == (4, 5, 8)
    assert figures.settled_at_reception == 1
    assert figures.outcomes.counts == {
        "served": 3, "settled": 1, "no_show": 0, "left": 0, "waiting": 0,
    }  # fmt: skip
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


# --- appointments and emergency requests: events written by hand -------------------


def _appointment(location, service, starts_at, steps, channel="online"):
    """An appointment with its recorded events ``[(action, to_status, at), …]``."""
    from willkommen.booking.models import Appointment, AppointmentEvent

    appointment = Appointment.objects.create(
        location=location, service=service, persons=1, starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=15), status=steps[-1][1], channel=channel,
        applicant_name="A", person_key=f"{id(steps):064x}"[-64:], created_at=steps[0][2],
    )  # fmt: skip
    previous = ""
    for action, to_status, at in steps:
        AppointmentEvent.objects.create(
            appointment=appointment, action=action, from_status=previous, to_status=to_status,
            at=at, starts_at=starts_at,
        )  # fmt: skip
        previous = to_status
    return appointment


def test_appointments_offered_booked_kept_missed_and_lead_time(office):
    from willkommen.booking.models import Slot
    from willkommen.booking.states import Action, Status

    location, service = office["location"], office["extend"]
    nine = datetime(2027, 3, 10, 9, 0, tzinfo=BERLIN)
    for channel, capacity in (("online", 3), ("staff", 1)):
        Slot.objects.create(
            location=location, channel=channel, starts_at=nine,
            ends_at=nine + timedelta(minutes=15), released_at=nine - timedelta(days=60),
            capacity=capacity,
        )  # fmt: skip
    booked = nine - timedelta(days=5)
    # Kept: held online, confirmed 5 minutes later, checked in.
    _appointment(location, service, nine, [
        (Action.CREATE, Status.HELD, booked),
        (Action.CONFIRM, Status.CONFIRMED, booked + timedelta(minutes=5)),
        (Action.CHECK_IN, Status.CHECKED_IN, nine),
    ])  # fmt: skip
    # Never confirmed: not booked, counted apart.
    _appointment(location, service, nine, [
        (Action.CREATE, Status.HELD, booked), (Action.EXPIRE, Status.EXPIRED, booked),
    ])  # fmt: skip
    # Booked by phone two days ahead, missed.
    _appointment(location, service, nine, [
        (Action.CREATE, Status.CONFIRMED, nine - timedelta(days=2)),
        (Action.NO_SHOW, Status.NO_SHOW, nine + timedelta(minutes=15)),
    ], channel="staff")  # fmt: skip
    # Confirmed, then cancelled.
    _appointment(location, service, nine, [
        (Action.CREATE, Status.HELD, nine - timedelta(days=8)),
        (Action.CONFIRM, Status.CONFIRMED, nine - timedelta(days=8)),
        (Action.CANCEL, Status.CANCELLED, nine - timedelta(days=1)),
    ])  # fmt: skip
    figures = kpis.appointment_figures(day_scope())
    assert figures.offered == 4
    assert figures.unconfirmed == 1
    total = figures.total
    assert (total.booked, total.kept, total.no_show, total.cancelled) == (3, 1, 1, 1)
    # Lead times 8, 5 (less 5 minutes) and 2 days: the median is the booking 5 days ahead.
    assert total.lead_median == pytest.approx(5 - 5 / 1440)
    assert kpis.appointment_figures(day_scope(service_id=service.pk)).offered is None
    assert kpis.appointment_figures(day_scope(team_id=office["work"].pk)).total.booked == 0


def test_emergency_requests_counted_by_answer_with_the_time_to_answer(office, clock):
    from willkommen.booking import services as booking
    from willkommen.booking.services import Applicant

    reception = UserFactory(roles=[Role.RECEPTION])
    location, service = office["location"], office["extend"]
    service.emergency_eligible = True
    service.save()
    from willkommen.booking.models import Slot

    nine = datetime(2027, 3, 11, 9, 0, tzinfo=BERLIN)
    for quarter in range(8):  # the protected quota the accepted request is booked into
        start = nine + timedelta(minutes=15 * quarter)
        Slot.objects.create(
            location=location, channel="emergency", starts_at=start,
            ends_at=start + timedelta(minutes=15), released_at=nine - timedelta(days=60),
            capacity=1,
        )  # fmt: skip

    def request(hhmm):
        clock.at(hhmm)
        return booking.submit_emergency_request(
            location=location, service=service, reason="expires_soon",
            permit_expires_on=DAY + timedelta(days=5),
            applicant=Applicant(name="Olena K.", email="olena@example.org"),
        )  # fmt: skip

    first, second = request("08:00"), request("09:00")
    request("10:00")  # not yet answered
    clock.at("15:00")
    booking.reject_emergency_request(second, reason="Kein Notfall", actor=reception)
    clock.at("10:00")
    booking.accept_emergency_request(
        first, starts_at=datetime(2027, 3, 11, 9, 0, tzinfo=BERLIN), actor=reception
    )
    figures = kpis.emergency_figures(day_scope())
    assert (figures.received, figures.accepted, figures.rejected, figures.open) == (3, 1, 1, 1)
    assert figures.answer_hours_median == pytest.approx(4)  # 2 h and 6 h


# --- cases: opened and moved through the cases services -----------------------------


def test_cases_inflow_closings_backlog_and_processing_time(db, clock):
    from tests.cases.factories import make_case_type, open_case, status
    from willkommen.cases import services as cases

    case_type = make_case_type(norm_days=56, items=0)  # no documents to wait for
    clerk = UserFactory(roles=[Role.CLERK], member_of=[case_type.service.team])

    def opened(day):
        clock.at("09:00", day)
        return open_case(case_type, send_confirmation=False).case

    def move(case, code, day):
        clock.at("10:00", day)
        case.refresh_from_db()
        cases.change_status(
            case, status(case_type, code), actor=clerk, expected_status_id=case.status_id
        )

    def close(case, day):
        for code in ("vollstaendig", "in-pruefung", "entschieden"):
            move(case, code, day - timedelta(days=1))
        move(case, "abgeschlossen", day)

    march = periods.month(2027, 3)
    long_gone = opened(date(2026, 12, 1))  # closed before March: in no March figure
    close(long_gone, date(2027, 1, 10))
    done = opened(date(2027, 2, 1))
    close(done, date(2027, 3, 5))  # closed in March after 32 days
    old = opened(date(2026, 11, 2))  # open for five months: over its 8-week norm
    move(old, "vollstaendig", date(2026, 11, 20))
    opened(date(2027, 3, 3))  # received in March, still open
    opened(date(2027, 4, 2))  # after March
    figures = kpis.case_figures(kpis.Scope(march))
    assert (figures.inflow, figures.closed, figures.backlog) == (1, 1, 2)
    assert figures.over_norm == 1
    assert dict(figures.backlog_by_status) == {"Eingegangen": 1, "Vollstaendig": 1}
    (row,) = figures.processing_by_type
    assert row.closed == 1 and row.days_median == pytest.approx(32 + 1 / 24)
    ages = dict(figures.age_buckets)
    # At the end of March: received on 3 March is 29 days old, the November case 150.
    assert ages == {(0, 28): 0, (28, 56): 1, (56, 91): 0, (91, 182): 1, (182, None): 0}


def test_arrival_profile_of_a_recorded_day_for_the_simulation(morning):
    profile = kpis.arrival_profile(day_scope())
    assert profile.office_days == 1
    # Three tickets between 8 and 9 (one an emergency); the desk's short matter is no arrival.
    assert profile.walk_ins_by_hour == [3, 0, 0, 0, 0, 0]
    assert profile.emergency_share == pytest.approx(1 / 3)
    assert profile.counters_by_hour[0] == 1  # one clerk at one counter
    assert profile.mean_service_minutes == pytest.approx(13.3)
    assert profile.appointments_by_hour == [0] * 6
