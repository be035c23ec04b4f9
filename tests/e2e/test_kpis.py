import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_staff import log_in
from willkommen.accounts.roles import Role
from willkommen.core import clock

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def controller(transactional_db):
    call_command("load_demo_catalog", verbosity=0)
    call_command("generate_demo_history", days=45, visits_per_day=8, cases_per_day=2, verbosity=0)
    return UserFactory(username="conrad", roles=[Role.CONTROLLER])


def test_controller_reads_key_figures_exports_and_reports(live_server, page, controller):
    last_month = clock.local_today("Europe/Berlin").replace(day=1) - timedelta(days=1)
    log_in(page, live_server.url, "conrad")
    page.get_by_role("link", name="Kennzahlen", exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kennzahlen")
    expect(page.locator("#next-free-table")).to_be_visible()  # loaded by htmx
    assert_accessible(page, "(dashboard, current month)")

    page.get_by_label("Zeitraum", exact=True).select_option("month")
    page.get_by_label("Ein Tag im Zeitraum").fill(last_month.isoformat())
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator("#kpi-period")).to_contain_text(str(last_month.year))
    visits = page.locator("#kpi-visits dd").first
    expect(visits).not_to_have_text("0")
    assert page.locator("svg.chart").count() >= 1
    assert_accessible(page, "(dashboard, last month)")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Als Excel-Datei herunterladen (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    first = workbook.worksheets[0]
    assert first["A2"].value == "Vorsprachen (Erscheinen in der Behörde)"
    assert first["B2"].value == int(visits.inner_text().replace(".", ""))

    page.get_by_role("link", name="Bericht für den Rat").first.click()
    expect(page.get_by_role("heading", name="Methodik")).to_be_visible()
    assert_accessible(page, "(council report)")
    with page.expect_download() as pdf_info:
        page.get_by_role("link", name="Bericht als PDF herunterladen").click()
    pdf = open(pdf_info.value.path(), "rb").read()  # noqa: SIM115
    assert pdf.startswith(b"%PDF")
