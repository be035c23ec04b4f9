"""The whole booking in Chromium with JavaScript switched off: the form carries a waiting
ticket instead of the proof-of-work (core/noscript.py); sent too early it comes back with
a plain message, sent after the wait it holds the time; the link in the mail confirms."""

import re
import time

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from willkommen.booking.models import Appointment, Status
from willkommen.catalog.services import load_catalog_file
from willkommen.core.models import OutboxMail, UsedWaitingTicket

pytestmark = pytest.mark.django_db(transaction=True)
WAIT = 5


@pytest.fixture
def office(transactional_db, settings):
    load_catalog_file()
    call_command("load_demo_booking", verbosity=0)
    settings.ALTCHA_ENABLED = True
    settings.NOSCRIPT_WAIT_SECONDS = WAIT  # the real default is 15; the test need not idle


def test_book_and_confirm_without_javascript(live_server, new_page, office, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    page = new_page(java_script=False)
    email = "ohne-skript@example.org"

    page.goto(f"{live_server.url}/de/")
    page.locator("#public-links").get_by_role("link", name="Termin buchen").click()
    page.get_by_label("Anliegen").select_option(label="Aufenthaltserlaubnis verlängern")
    page.get_by_label("Standort").select_option(index=0)
    page.get_by_role("button", name="Freie Tage anzeigen").click()
    page.locator(".day-list a").first.click()
    page.locator(".time-list a").first.click()
    opened = time.monotonic()

    # No widget can run: the page says plainly to wait before sending, and the form
    # carries the ticket. (The <noscript> content is parsed as elements, as in any
    # browser without JavaScript; Playwright's emulation still does not lay it out,
    # so the text is read from the element rather than asserted visible.)
    notice = page.locator("form noscript .kern-alert")
    expect(notice).to_have_count(1)
    assert "Bitte vor dem Senden warten" in notice.text_content()
    assert f"mindestens {WAIT} Sekunden" in notice.text_content()
    expect(page.locator("form noscript input[name=noscript_ticket]")).to_have_count(1)
    assert page.locator("input[name=altcha]").count() == 0
    page.get_by_label("Vor- und Nachname").fill("Ohne Skript")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label(re.compile("Ich bin einverstanden")).check()

    # Sent at once: the form comes back with the message, nothing is held.
    page.get_by_role("button", name="Diese Zeit reservieren").click()
    expect(page.locator("#error-summary")).to_contain_text("Bitte warten Sie noch etwas")
    assert time.monotonic() - opened < WAIT, "too slow to test sending too early"
    assert not Appointment.objects.exists() and not UsedWaitingTicket.objects.exists()
    assert_accessible(page, "(details sent too early, the notice shown)")

    # After the wait the same form holds the time (the entries and the ticket were kept).
    page.wait_for_timeout(max(0, WAIT + 0.5 - (time.monotonic() - opened)) * 1000)
    expect(page.get_by_label("Vor- und Nachname")).to_have_value("Ohne Skript")
    page.get_by_role("button", name="Diese Zeit reservieren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte per E-Mail bestätigen")
    assert UsedWaitingTicket.objects.count() == 1

    body = OutboxMail.objects.get(to=email).body
    url = next(line.strip() for line in body.splitlines() if "/confirm/" in line)
    page.goto(live_server.url + "/" + url.split("://", 1)[1].split("/", 1)[1])
    page.get_by_role("button", name="Diesen Termin buchen").click()
    expect(page.get_by_text("Ihr Termin ist gebucht")).to_be_visible()
    assert Appointment.objects.get(applicant_email=email).status == Status.CONFIRMED
    assert_accessible(page, "(booked without JavaScript)")
