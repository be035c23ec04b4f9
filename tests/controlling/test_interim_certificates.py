"""One definition of the interim certificate: the certificate entered in the case file.

The KPI, the case file, the council report and the staffing calculation all count
the same records; the box a clerk may tick at the counter is no count.
"""

from datetime import timedelta

import pytest
from django.utils import translation

from tests.accounts.factories import UserFactory
from tests.cases.factories import make_case_type, open_case
from tests.controlling.conftest import DAY
from willkommen.accounts.roles import Role
from willkommen.cases import services as cases
from willkommen.cases.models import InterimCertificate
from willkommen.controlling import kpis, layout, periods, records, reports
from willkommen.controlling.models import CountedAs, StaffingTask


@pytest.fixture
def five_certificates(morning, clock):
    """The morning (whose desk visit has the counter's box ticked) and five applicants
    whose certificates were entered in their case files on DAY; one more the day after."""
    case_type = make_case_type(morning["extend"], items=0)
    clerk = UserFactory(roles=[Role.CLERK], member_of=[morning["family"]])
    for n in range(6):
        clock.at("11:00")
        case = open_case(case_type, send_confirmation=False).case
        issued = DAY + timedelta(days=1 if n == 5 else 0)
        cases.issue_interim_certificate(
            case, number=f"FB-{n}", issued_on=issued, valid_until=issued + timedelta(days=90),
            actor=clerk,
        )  # fmt: skip
    return morning


def test_kpi_case_file_report_and_staffing_count_the_same_certificates(five_certificates):
    scope = kpis.Scope(periods.day(DAY))
    in_case_files = InterimCertificate.objects.filter(issued_on=DAY).count()
    assert in_case_files == 5
    assert kpis.case_figures(scope).interim_certificates == in_case_files
    task = StaffingTask.objects.create(
        code="fiktion", name="Fiktionsbescheinigung", minutes_per_case=25, source="Test",
        counted_as=CountedAs.INTERIM_CERTIFICATES,
    )  # fmt: skip
    assert records.case_numbers([task], scope) == {"fiktion": in_case_files}
    with translation.override("de"):
        tables, _sheet = layout.tables(reports.build(scope))
    rows = [row for table in tables for row in table.rows if "Fiktionsbescheinigung" in str(row[0])]
    # One row, one figure: the certificates in the case files.
    assert rows == [["Ausgestellte Fiktionsbescheinigungen", 5, 0, "–"]]


def test_the_box_ticked_at_the_counter_is_not_counted(morning):
    from willkommen.frontdesk.models import Visit

    assert Visit.objects.filter(interim_certificate=True).count() == 1  # the desk's short matter
    scope = kpis.Scope(periods.day(DAY))
    assert kpis.case_figures(scope).interim_certificates == 0
    with translation.override("de"):
        tables, _sheet = layout.tables(reports.build(scope))
    texts = [str(row[0]) for table in tables for row in table.rows]
    assert "Vorsprachen mit ausgestellter Fiktionsbescheinigung" not in texts
