import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_staff import log_in
from willkommen.accounts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def controller(transactional_db, settings):
    # Run background work inline, as the worker would, so the page can be followed to its end.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    call_command("load_demo_controlling", verbosity=0)
    return UserFactory(username="conrad", roles=[Role.CONTROLLER])


def test_controller_calculates_staffing_and_reruns_it(live_server, page, controller):
    log_in(page, live_server.url, "conrad")
    page.get_by_role("link", name="Controlling: Personalbemessung").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personalbemessung")
    assert_accessible(page, "(staffing form)")
    page.get_by_label("Bezeichnung dieser Berechnung").fill("Fallzahlen 2026")
    page.get_by_label("Einbürgerung").fill("1200")
    page.get_by_label("Stellen (Vollzeitäquivalente)").fill("40")
    page.get_by_label("Davon unbesetzt").fill("8")
    page.get_by_role("button", name="Berechnen").click()
    expect(page.locator("#result")).to_contain_text("5,99")  # 1200 x 420 / (95580 x 0.88)
    assert_accessible(page, "(staffing result)")
    page.get_by_role("link", name="Mit neuen Zahlen neu berechnen").click()
    expect(page.get_by_label("Einbürgerung")).to_have_value("1200")


def test_controller_compares_two_scenarios(live_server, page, controller):
    log_in(page, live_server.url, "conrad")
    page.goto(f"{live_server.url}/de/staff/controlling/simulation/")
    assert_accessible(page, "(simulation form)")
    page.get_by_label("Durchläufe").fill("5")
    page.get_by_label("Tage je Durchlauf").fill("2")
    page.get_by_role("button", name="Simulieren").click()
    expect(page.get_by_role("table")).to_contain_text("60 % Termine, 6 Schalter")
    expect(page.get_by_role("table")).to_contain_text("90 % Termine, 5 Schalter")
    assert_accessible(page, "(simulation result)")


def test_erlang_calculator_explains_an_exploding_queue(live_server, page, controller):
    log_in(page, live_server.url, "conrad")
    page.goto(f"{live_server.url}/de/staff/controlling/queue/")
    page.get_by_label("Ankünfte pro Stunde").fill("60")
    page.get_by_label("Mittlere Bedienzeit in Minuten").fill("10")
    page.get_by_label("Geöffnete Schalter").fill("5")
    page.get_by_role("button", name="Berechnen").click()
    expect(page.get_by_role("alert")).to_contain_text("wächst den ganzen Tag")
    assert_accessible(page, "(queue error)")
