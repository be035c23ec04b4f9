import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from willkommen.catalog.services import load_catalog_file

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalog(transactional_db):
    load_catalog_file()


def test_applicant_finds_service_and_gets_personal_checklist(live_server, page, catalog):
    page.goto(f"{live_server.url}/de/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welches Anliegen haben Sie?")
    assert_accessible(page, "(home)")

    page.get_by_label("Was möchten Sie erledigen?").fill("Familiennachzug")
    page.get_by_role("button", name="Suchen").click()
    expect(page.locator("#result-count")).to_contain_text("Familiennachzug")
    page.get_by_role("link", name=re.compile("Familiennachzug")).first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Familiennachzug")
    assert_accessible(page, "(service detail)")

    married = page.get_by_role("group", name=re.compile("verheiratet"))
    married.get_by_label("Ja").check()
    children = page.get_by_role("group", name=re.compile("Kinder unter 16"))
    children.get_by_label("Nein").check()
    page.get_by_role("button", name="Meine Checkliste anzeigen").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Ihre Checkliste")
    expect(page.get_by_text("Heiratsurkunde mit Übersetzung")).to_be_visible()
    expect(page.get_by_text("gilt nicht für Sie")).to_be_visible()
    assert_accessible(page, "(personal checklist)")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Als PDF herunterladen").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert download.path().read_bytes()[:5] == b"%PDF-"


def test_language_switch_keeps_the_page(live_server, page, catalog):
    page.goto(f"{live_server.url}/de/services/blaue-karte-eu/")
    page.locator(".language-switch__summary").click()  # the nine languages sit in a disclosure
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/services/blaue-karte-eu/$"))
    expect(page.get_by_role("heading", name="Documents to bring")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page, "(service detail, English)")


def test_staff_login_page_is_accessible(live_server, page, catalog):
    page.goto(f"{live_server.url}/de/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung für Mitarbeitende")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, "(login with errors)")


def test_empty_search_and_not_found_pages_are_accessible(live_server, page, catalog):
    page.goto(f"{live_server.url}/en/?q=xyzzy")
    expect(page.get_by_text("No service found")).to_be_visible()
    assert_accessible(page, "(no results)")
    page.goto(f"{live_server.url}/en/services/does-not-exist/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page, "(404)")


def test_applicant_finds_a_question_and_opens_it(live_server, page, catalog):
    page.goto(f"{live_server.url}/en/")
    page.get_by_label("What do you need?").fill("police report")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#result-count")).to_contain_text("police report")
    question = "What should I do if my card was stolen?"
    assert_accessible(page, "(search by a question)")
    page.get_by_role("link", name=question).click()

    # The question asked for is open, the others closed; every one opens on a click.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reporting a lost eAT")
    found = page.locator("details", has_text=question)
    expect(found).to_have_attribute("open", "")
    expect(found.get_by_text("First report the theft to the police")).to_be_visible()
    found.locator("summary").click()
    expect(found.get_by_text("First report the theft to the police")).to_be_hidden()
    assert_accessible(page, "(service detail, question closed)")

    page.goto(f"{live_server.url}/ar/services/fiktionsbescheinigung/")
    disclosure = page.locator("details.kern-accordion").first
    expect(disclosure).not_to_have_attribute("open", "")
    disclosure.locator("summary").click()
    expect(disclosure).to_have_attribute("open", "")
    expect(disclosure.get_by_text("§ 81 Abs. 4 AufenthG")).to_be_visible()
    assert_accessible(page, "(service detail, question open, Arabic)")
