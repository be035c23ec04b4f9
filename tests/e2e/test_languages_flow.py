"""Whole flows in the applicants' languages (issue 18): booking in Arabic (right to left,
checked on a screenshot) and in Ukrainian, the status page in Turkish.

The labels are read from the shipped catalogues, the same ones the server uses, and
each must differ from the English source: a flow that passes here was really shown
in that language.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import translation
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from tests.e2e.test_booking_flow import link_from_mail
from willkommen.booking.models import Appointment, Status
from willkommen.catalog.services import load_catalog_file
from willkommen.core.i18n import tr

pytestmark = pytest.mark.django_db(transaction=True)

LABELS = {
    "service": "Service",
    "location": "Location",
    "show_days": "Show free days",
    "name": "First and last name",
    "email": "E-mail address",
    "reserve": "Reserve this time",
    "book": "Book this appointment",
}


def texts(language: str) -> dict[str, str]:
    with translation.override(language):
        found = {key: translation.gettext(msgid) for key, msgid in LABELS.items()}
    untranslated = [msgid for key, msgid in LABELS.items() if found[key] == msgid]
    assert not untranslated, f"not translated into {language}: {untranslated}"
    return found


@pytest.fixture
def office(transactional_db, settings):
    load_catalog_file()
    call_command("load_demo_booking", verbosity=0)
    settings.ALTCHA_ENABLED = True
    settings.ALTCHA_COST = 10


def ink_centre(png: bytes) -> float:
    """Where the dark pixels of a screenshot lie, from 0 (left edge) to 1 (right edge)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    pixels = image.load()
    columns = [x for x in range(width) for y in range(0, height, 2) if pixels[x, y] < 110]
    assert columns, "the screenshot shows no text"
    return sum(columns) / len(columns) / width


def book(page, live_server, language, email):
    text = texts(language)
    from willkommen.catalog.models import Service

    service = Service.objects.get(slug="aufenthaltserlaubnis-verlaengern")
    page.goto(f"{live_server.url}/{language}/appointments/")
    page.get_by_label(text["service"]).select_option(label=tr(service.name, language))
    page.get_by_label(text["location"]).select_option(index=0)
    page.get_by_role("button", name=text["show_days"]).click()
    assert_accessible(page, f"(free days, {language})")
    page.locator(".day-list a").first.click()
    page.locator(".time-list a").first.click()
    page.get_by_label(text["name"]).fill("Олена Коваль" if language == "uk" else "ليلى حداد")
    page.get_by_label(text["email"]).fill(email)
    page.locator("input[name=consent]").check()
    expect(page.locator("input[name=altcha]")).to_have_value(re.compile(".{20,}"), timeout=20_000)
    assert_accessible(page, f"(details, {language})")
    page.get_by_role("button", name=text["reserve"]).click()
    page.goto(link_from_mail(email, "/confirm/", live_server.url))
    page.get_by_role("button", name=text["book"]).click()
    appointment = Appointment.objects.get(applicant_email=email)
    expect(page.locator(".reference").first).to_have_text(appointment.reference)
    assert appointment.status == Status.CONFIRMED and appointment.language == language
    assert_accessible(page, f"(confirmation page, {language})")
    return appointment


def test_booking_in_arabic_reads_right_to_left(live_server, new_page, office, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    page = new_page(locale="ar-EG")
    page.set_viewport_size({"width": 800, "height": 900})
    appointment = book(page, live_server, "ar", "layla@example.org")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    # The reference stays a left-to-right run inside the Arabic text.
    direction = page.locator(".reference").first.evaluate(
        "e => getComputedStyle(e.querySelector('bdi') || e).direction"
    )
    assert direction == "ltr"
    heading = page.get_by_role("heading", level=1)
    assert ink_centre(heading.screenshot()) > 0.5, "the Arabic heading is not set to the right"
    page.goto(f"{live_server.url}/de/")
    german = page.get_by_role("heading", level=1)
    assert ink_centre(german.screenshot()) < 0.5, "the German heading is not set to the left"
    assert appointment.language == "ar"


def test_booking_in_ukrainian(live_server, new_page, office, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    page = new_page(locale="uk-UA")
    book(page, live_server, "uk", "olena@example.org")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.locator("html").get_attribute("dir") in {None, "ltr"}


def test_status_page_in_turkish(live_server, new_page, transactional_db):
    from willkommen.cases.services import open_case
    from willkommen.catalog.models import Service

    call_command("load_demo_catalog", verbosity=0)
    call_command("load_demo_cases", verbosity=0)
    opened = open_case(
        service=Service.objects.get(slug="familiennachzug"),
        applicant={"given_name": "Elif", "family_name": "Yılmaz"},
        contact_email="elif@example.org",
        language="tr",
    )
    with translation.override("tr"):
        reference, code, show = (
            translation.pgettext("case file", "Reference"),
            translation.gettext("Access code"),
            translation.gettext("Show status"),
        )
    assert show != "Show status"
    page = new_page(locale="tr-TR")
    page.goto(f"{live_server.url}/tr/status/")
    page.get_by_label(reference).fill(opened.case.reference)
    page.get_by_label(code).fill(opened.access_code)
    page.get_by_role("button", name=show).click()
    status_text = tr(opened.case.status.applicant_text, "tr")
    assert status_text and status_text != tr(opened.case.status.applicant_text, "de")
    expect(page.locator("#current-text")).to_contain_text(status_text[:30])
    assert_accessible(page, "(status page, Turkish)")
