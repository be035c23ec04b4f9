"""Nine languages in Chromium (issue 18): the switcher on every public page keeps the
path and the query, axe-core finds nothing serious in any language, and the Arabic
page is right-to-left with its header mirrored."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from willkommen.catalog.services import load_catalog_file

pytestmark = pytest.mark.django_db(transaction=True)

NINE = ["de", "en", "fr", "ru", "uk", "ar", "tr", "sq", "sr-latn"]
SERVICE = "aufenthaltserlaubnis-verlaengern"

# Each public page, with a query the switch must keep.
PAGES = {
    "start": "/?q=Pass",
    "service": f"/services/{SERVICE}/?from=search",
    "booking start": f"/appointments/?service={SERVICE}",
    "booking days": f"/appointments/hauptstelle/{SERVICE}/?persons=2",
    "status lookup": "/status/?reference=ABH-2026-1",
    "emergency form": "/appointments/emergency/?service=" + SERVICE,
}

EVERY_PUBLIC_PAGE = [
    f"/services/{SERVICE}/checklist/",
    "/locations/",
    "/appointments/",
    f"/appointments/hauptstelle/{SERVICE}/",
    "/appointments/emergency/",
    "/status/",
    "/contact/",
    "/apply/skilled-worker/",
    "/apply/naturalisation/",
    "/privacy/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
    "/gebaerdensprache/",
    "/barriere-melden/",
    "/?q=Pass",
]


@pytest.fixture
def office(transactional_db):
    load_catalog_file()
    call_command("load_demo_booking", verbosity=0)


def switch_to(page, name):
    """Open the language disclosure with the keyboard and follow a language."""
    summary = page.locator(".language-switch__summary")
    summary.focus()
    page.keyboard.press("Enter")
    link = page.locator(".language-switch__list").get_by_role("link", name=name, exact=True)
    expect(link).to_be_visible()
    link.click()


@pytest.mark.parametrize("which", list(PAGES))
def test_the_switch_keeps_path_and_query(live_server, page, office, which):
    path = PAGES[which]
    page.goto(f"{live_server.url}/de{path}")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    switch_to(page, "Türkçe")
    expect(page).to_have_url(f"{live_server.url}/tr{path}")
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    current = page.locator(".language-switch__list [aria-current=true]")
    expect(current).to_have_attribute("hreflang", "tr")
    switch_to(page, "العربية")
    expect(page).to_have_url(f"{live_server.url}/ar{path}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def test_the_first_visit_follows_the_browser_and_then_the_choice(live_server, new_page, office):
    page = new_page(locale="uk-UA")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/uk/")
    switch_to(page, "Shqip")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/sq/")


@pytest.mark.parametrize("language", NINE)
def test_no_serious_accessibility_violation_in_any_language(live_server, page, office, language):
    page.goto(f"{live_server.url}/{language}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page, f"(start, {language})")
    page.goto(f"{live_server.url}/{language}/services/{SERVICE}/")
    assert_accessible(page, f"(service, {language})")
    page.locator(".language-switch__summary").click()
    assert_accessible(page, f"(service, {language}, switcher open)")
    # Every other public page an applicant reaches without a personal link.
    for path in EVERY_PUBLIC_PAGE:
        page.goto(f"{live_server.url}/{language}{path}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert_accessible(page, f"({path}, {language})")


def test_arabic_page_is_right_to_left_with_the_header_mirrored(
    live_server, new_page, office, tmp_path
):
    boxes = {}
    for language in ["de", "ar"]:
        page = new_page(locale="ar-EG" if language == "ar" else "de-DE")
        page.set_viewport_size({"width": 1024, "height": 800})
        page.goto(f"{live_server.url}/{language}/")
        brand = page.locator(".site-header__brand").bounding_box()
        switch = page.locator(".language-switch__summary").bounding_box()
        boxes[language] = (brand, switch)
        page.screenshot(path=str(tmp_path / f"start-{language}.png"))
        if language == "ar":
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
            direction = page.evaluate("getComputedStyle(document.body).direction")
            assert direction == "rtl"
    middle = 1024 / 2
    (de_brand, de_switch), (ar_brand, ar_switch) = boxes["de"], boxes["ar"]
    # German: office name left, languages right; Arabic: the other way round.
    assert de_brand["x"] + de_brand["width"] < middle < de_switch["x"]
    assert ar_switch["x"] + ar_switch["width"] < middle < ar_brand["x"]
    assert (tmp_path / "start-ar.png").stat().st_size > 1000


def test_arabic_service_page_keeps_numbers_left_to_right(live_server, page, office):
    page.goto(f"{live_server.url}/ar/appointments/hauptstelle/{SERVICE}/?persons=1")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator(".day-list a").first.click()
    times = page.locator(".time-list .kern-label bdi[dir=ltr]")
    expect(times.first).to_have_text(re.compile(r"^\d\d:\d\d$"))
    assert_accessible(page, "(free times, ar)")
