"""Staffing from the records: case work counts cases, counter work counts work items."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from tests.accounts.factories import UserFactory
from tests.cases.factories import make_case_type, open_case, status
from tests.controlling.conftest import DAY
from willkommen.accounts.roles import Role
from willkommen.cases import services as cases
from willkommen.controlling import periods, records, selectors
from willkommen.controlling.models import CountedAs, StaffingTask
from willkommen.controlling.staffing import StaffingInputError, parse_task_csv
from willkommen.frontdesk import services as frontdesk
from willkommen.frontdesk.services import WorkItemLine

MARCH = periods.month(2027, 3)


@pytest.fixture
def three_visits_one_case(office, clock):
    """One application to extend a permit (a case received on DAY), and its applicant
    at the counter three times about it in March: 3 visits, 3 work items, 1 case."""
    extend = office["extend"]
    case_type = make_case_type(extend, items=0)
    clerk = UserFactory(roles=[Role.CLERK], member_of=[office["family"]])
    reception = UserFactory(roles=[Role.RECEPTION])
    clock.at("07:30")
    case = open_case(case_type, send_confirmation=False).case
    clock.at("07:50")
    frontdesk.sign_in(user=clerk, counter=office["family_counter"])
    for hour in ("08", "10", "12"):
        clock.at(f"{hour}:00")
        visit = frontdesk.issue_ticket(
            location=office["location"], service=extend, persons_present=1, actor=reception
        )
        clock.at(f"{hour}:05")
        frontdesk.call_visit(visit.pk, user=clerk)
        frontdesk.start(visit.pk, user=clerk)
        clock.at(f"{hour}:20")
        frontdesk.finish(
            visit.pk, user=clerk, persons_present=1, work_items=[WorkItemLine(extend, "Frau K.")]
        )
    return {"case": case, "case_type": case_type, "clerk": clerk, "extend": extend}


def task(code, counted_as, *services):
    made = StaffingTask.objects.create(
        code=code, name=code, minutes_per_case=60, source="Test", counted_as=counted_as
    )
    made.services.set(services)
    return made


def test_repeat_visits_do_not_inflate_case_work(three_visits_one_case):
    extend = three_visits_one_case["extend"]
    tasks = [
        task("verlaengern", CountedAs.CASES_RECEIVED, extend),
        task("bescheide", CountedAs.CASES_CLOSED, extend),
        task("schalter", CountedAs.WORK_ITEMS, extend),
    ]
    numbers = selectors.case_numbers_from_records(
        StaffingTask.objects.filter(pk__in=[t.pk for t in tasks]).prefetch_related("services"),
        MARCH,
    )
    # Case work: the one case received (none closed yet); counter work: three work items.
    assert numbers == {"verlaengern": 1, "bescheide": 0, "schalter": 3}


def test_closed_cases_count_in_the_period_they_were_closed(db, clock):
    case_type = make_case_type(items=0)  # nothing to wait for
    clock.at("09:00", date(2027, 3, 30))
    case = open_case(case_type, send_confirmation=False).case
    clerk = UserFactory(roles=[Role.CLERK], member_of=[case_type.service.team])
    for day, code in enumerate(("vollstaendig", "in-pruefung", "entschieden", "abgeschlossen")):
        clock.at("09:00", date(2027, 4, 1) + timedelta(days=day))
        case.refresh_from_db()
        cases.change_status(
            case, status(case_type, code), actor=clerk, expected_status_id=case.status_id
        )
    service = case_type.service.pk
    april = records.Scope(periods.month(2027, 4))
    assert records.cases_closed_by_service(records.Scope(MARCH)) == {}
    assert records.cases_closed_by_service(april) == {service: 1}
    assert records.cases_received_by_service(records.Scope(MARCH)) == {service: 1}
    assert records.cases_received_by_service(april) == {}


def test_the_interim_certificate_task_counts_the_certificates_in_case_files(
    three_visits_one_case,
):
    case = three_visits_one_case["case"]
    cases.issue_interim_certificate(
        case, number="FB-1", issued_on=DAY, valid_until=DAY + timedelta(days=90),
        actor=three_visits_one_case["clerk"],
    )  # fmt: skip
    certificates = task("fiktion", CountedAs.INTERIM_CERTIFICATES)  # no service: all of them
    numbers = records.case_numbers([certificates], records.Scope(MARCH))
    assert numbers == {"fiktion": 1}


def test_the_task_file_says_where_case_numbers_come_from():
    rows = parse_task_csv(
        b"code;name;minutes_per_case;source;services;counted_as\n"
        b"a;A;10;S;x;cases_closed\nb;B;10;S;x;\n"
    )
    assert [row.counted_as for row in rows] == ["cases_closed", "work_items"]
    with translation.override("de"), pytest.raises(StaffingInputError, match="Zeile 2: „visits“"):
        parse_task_csv(b"code;name;minutes_per_case;source;counted_as\na;A;10;S;visits\n")
