import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.accounts.factories import UserFactory
from willkommen.accounts.roles import Role

pytestmark = pytest.mark.django_db

DASHBOARD = "/de/staff/controlling/"
MARCH_10 = {"kind": "day", "on": "2027-03-10"}


@pytest.fixture
def controller(client):
    client.force_login(UserFactory(roles=[Role.CONTROLLER]))


@pytest.mark.parametrize(
    "path",
    [DASHBOARD, DASHBOARD + "export.xlsx", DASHBOARD + "report/", DASHBOARD + "report.pdf"],
)
def test_key_figures_are_for_team_leads_and_controllers(client, path):
    assert client.get(path).status_code == 302
    client.force_login(UserFactory(roles=[Role.CLERK, Role.RECEPTION]))
    assert client.get(path).status_code == 403
    for role in (Role.TEAM_LEAD, Role.CONTROLLER):
        client.force_login(UserFactory(roles=[role]))
        assert client.get(path).status_code == 200


def test_dashboard_shows_visits_and_work_items_side_by_side(client, controller, busy_day):
    page = client.get(DASHBOARD, MARCH_10).content.decode()
    assert 'id="kpi-visits"' in page
    # 31 visits by 35 persons, 31 work items; 6 of the persons left unserved.
    assert "<dt>Vorsprachen</dt><dd><strong>31</strong></dd>" in page
    assert "<dt>Anwesende Personen</dt><dd><strong>35</strong></dd>" in page
    assert "<dd><strong>17,1</strong></dd>" in page
    assert "<dt>Arbeitsvorgänge</dt><dd><strong>31</strong></dd>" in page
    assert "<svg" in page and "<table" in page  # chart and the same numbers as a table


def test_the_dashboard_publishes_as_the_report_does(client, controller, morning):
    """Four visits are "< 5" on the dashboard too: its tables are handed on like the report's."""
    page = client.get(DASHBOARD, MARCH_10).content.decode()
    assert "<dt>Vorsprachen</dt><dd><strong>&lt; 5</strong></dd>" in page
    assert "Vorsprachen: 4" not in page and ": 4 / " not in page  # nor in the chart


def test_dashboard_without_parameters_shows_the_current_month(client, controller):
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "Im Zeitraum wurden keine Vorsprachen" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "range", "on": "2027-03-10"},  # no last day
        {"kind": "range", "on": "2027-03-10", "until": "2027-03-01"},  # end before start
        {"kind": "range", "on": "2020-01-01", "until": "2027-03-01"},  # more than three years
        {"kind": "month", "on": "kein Datum"},
        {"kind": "quarter", "on": "2027-03-10"},
        {"kind": "month", "on": "2027-03-10", "team": "999999"},
    ],
)
def test_bad_filters_get_a_clear_error_and_no_figures(client, controller, query):
    response = client.get(DASHBOARD, query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "kern-error" in page
    assert 'id="kpi-visits"' not in page


def test_xlsx_export_has_the_figures_as_numbers(client, controller, busy_day):
    response = client.get(DASHBOARD + "export.xlsx", MARCH_10)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('kennzahlen-2027-03-10-2027-03-10.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert rows["Vorsprachen (Erscheinen in der Behörde)"] == 31
    assert rows["Anwesende Personen"] == 35
    assert rows["Arbeitsvorgänge"] == 31


def test_csv_export_opens_in_a_german_spreadsheet(client, controller, busy_day):
    response = client.get(DASHBOARD + "export.csv", MARCH_10)
    text = response.content.decode("utf-8-sig")
    assert "Vorsprachen (Erscheinen in der Behörde);31;0;–" in text
    assert "Arbeitsvorgänge pro Vorsprache;1,0;–;" in text


def test_an_unknown_export_format_is_not_found(client, controller):
    assert client.get(DASHBOARD + "export.exe").status_code == 404


def test_council_report_suppresses_small_numbers_and_explains_its_methods(
    client, controller, morning
):
    page = client.get(DASHBOARD + "report/", MARCH_10).content.decode()
    # 4 visits is fewer than 5: published as "< 5", never as the number.
    assert "&lt; 5" in page
    cell = 'class="kern-table__cell kern-table__cell--numeric">'
    assert f"Vorsprachen (Erscheinen in der Behörde)</th><td {cell}4<" not in page
    assert "Methodik" in page
    assert "vier Arbeitsvorgänge" in page


def test_council_report_pdf(client, controller, morning):
    response = client.get(DASHBOARD + "report.pdf", MARCH_10)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 5000


def test_staffing_takes_case_numbers_from_the_recorded_work_items(client, controller, morning):
    from django.core.management import call_command

    from willkommen.controlling.models import StaffingTask

    call_command("load_demo_controlling", verbosity=0)
    task = StaffingTask.objects.get(code="aufenthalt-verlaengern")
    task.services.set([morning["extend"]])  # the factory's service stands in for the demo's
    assert task.counted_as == "cases_received"  # case work: no case file was opened
    counter = StaffingTask.objects.get(code="kurzanliegen")
    counter.services.set([morning["extend"]])
    page = client.get("/de/staff/controlling/staffing/", {"from_records": "1"}).content.decode()
    # As counter work: the morning's 7 work items for the extension (the father's 4,
    # the couple's 2, 1 more); as case work: the cases received, none.
    assert 'name="cases_kurzanliegen" value="7"' in page
    assert 'name="cases_aufenthalt-verlaengern" value="0"' in page
    assert "aus den Aufzeichnungen" in page


def test_simulation_scenarios_from_the_records(client, controller, morning, clock):
    clock.at("08:00", date(2027, 3, 11))  # the day after the recorded morning
    page = client.get("/de/staff/controlling/simulation/", {"from_records": "1"}).content.decode()
    assert 'name="a-walk_ins_by_hour" value="3, 0, 0, 0, 0, 0"' in page
    assert 'name="b-counters_by_hour" value="2, 2, 2, 2, 2, 2"' in page
    assert "Wie erfasst, ein Schalter mehr" in page


def test_simulation_from_records_without_records_says_so(client, controller):
    response = client.get("/de/staff/controlling/simulation/", {"from_records": "1"})
    assert response.status_code == 200
    assert "zu wenig erfasst" in response.content.decode()


def test_next_free_online_appointment_per_service(client, controller, demo_catalog):
    from django.core.management import call_command

    call_command("load_demo_booking", verbosity=0)
    response = client.get(DASHBOARD + "next-free/")
    assert response.status_code == 200
    page = response.content.decode()
    from willkommen.catalog.models import Location, Service

    bookable = Service.objects.filter(is_active=True, online_bookable=True).count()
    locations = Location.objects.filter(is_active=True).count()
    assert page.count('<th scope="row"') == bookable * locations
    # The demo opening rules leave free appointments: some row names a day count.
    assert re.search(r'kern-table__cell--numeric">\d+</td>', page)


def test_a_location_filter_says_that_case_figures_cover_all_locations(client, controller, morning):
    query = MARCH_10 | {"location": morning["location"].pk}
    page = client.get(DASHBOARD, query).content.decode()
    assert "Fälle werden je Team geführt, nicht je Standort" in page
    assert "nicht je Standort" not in client.get(DASHBOARD, MARCH_10).content.decode()


def test_exports_neutralise_names_that_start_like_a_formula(client, controller, busy_day):
    service = busy_day["blue_card"]
    service.name = {"de": '=HYPERLINK("http://example.org","Blaue Karte")'}
    service.save()
    text = client.get(DASHBOARD + "export.csv", MARCH_10).content.decode("utf-8-sig")
    assert "'=HYPERLINK(" in text
    assert "\n=HYPERLINK(" not in text
    workbook = load_workbook(io.BytesIO(client.get(DASHBOARD + "export.xlsx", MARCH_10).content))
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(str(c.value).startswith("'=HYPERLINK(") for c in cells)
