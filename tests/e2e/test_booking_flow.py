"""The whole booking in Chromium, in German and in English: choose, hold (with the ALTCHA
widget solving its challenge), confirm with the link from the e-mail, rebook, cancel."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.e2e.conftest import assert_accessible
from willkommen.accounts.roles import Role
from willkommen.booking.models import Appointment, Status
from willkommen.catalog.services import load_catalog_file
from willkommen.core.models import OutboxMail

pytestmark = pytest.mark.django_db(transaction=True)

TEXTS = {
    "de": {
        "service": "Anliegen", "location": "Standort", "show_days": "Freie Tage anzeigen",
        "name": "Vor- und Nachname", "email": "E-Mail-Adresse", "consent": "Ich bin einverstanden",
        "reserve": "Diese Zeit reservieren", "held": "Bitte per E-Mail bestätigen",
        "book": "Diesen Termin buchen", "booked": "Ihr Termin ist gebucht",
        "rebook": "Andere Zeit wählen", "move": "Meinen Termin auf diese Zeit verschieben",
        "cancel": "Termin absagen", "yes_cancel": "Ja, Termin absagen",
        "cancelled": "Termin abgesagt", "service_name": "Aufenthaltserlaubnis verlängern",
    },
    "en": {
        "service": "Service", "location": "Location", "show_days": "Show free days",
        "name": "First and last name", "email": "E-mail address", "consent": "I agree",
        "reserve": "Reserve this time", "held": "Please confirm by e-mail",
        "book": "Book this appointment", "booked": "Your appointment is booked",
        "rebook": "Choose another time", "move": "Move my appointment to this time",
        "cancel": "Cancel the appointment", "yes_cancel": "Yes, cancel the appointment",
        "cancelled": "Appointment cancelled", "service_name": "Extend your residence permit",
    },
}  # fmt: skip


@pytest.fixture
def office(transactional_db, settings):
    load_catalog_file()
    call_command("load_demo_booking", verbosity=0)
    settings.ALTCHA_ENABLED = True
    settings.ALTCHA_COST = 10  # the real widget solves it; kept light for the test machine


def link_from_mail(to: str, marker: str, base_url: str) -> str:
    body = OutboxMail.objects.filter(to=to).order_by("-id").first().body
    url = next(line.strip() for line in body.splitlines() if marker in line)
    return base_url + "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.mark.parametrize("language", ["de", "en"])
def test_book_confirm_rebook_cancel(live_server, new_page, office, language, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    text = TEXTS[language]
    page = new_page(locale="de-DE" if language == "de" else "en-GB")
    email = f"ada-{language}@example.org"

    # Applicants arrive from the start page, which links to booking without naming it.
    page.goto(f"{live_server.url}/{language}/")
    book = "Termin buchen" if language == "de" else "Book an appointment"
    page.locator("#public-links").get_by_role("link", name=book).click()
    expect(page).to_have_url(f"{live_server.url}/{language}/appointments/")
    assert_accessible(page, "(booking start)")
    page.get_by_label(text["service"]).select_option(label=text["service_name"])
    page.get_by_label(text["location"]).select_option(index=0)
    page.get_by_role("button", name=text["show_days"]).click()
    assert_accessible(page, "(free days)")
    page.locator(".day-list a").first.click()
    assert_accessible(page, "(free times)")
    page.locator(".time-list a").first.click()

    page.get_by_label(text["name"]).fill("Ada Lovelace")
    page.get_by_label(text["email"]).fill(email)
    page.get_by_label(re.compile(text["consent"])).check()
    # The widget fetches the challenge and solves it in a worker; then it fills the field.
    expect(page.locator("input[name=altcha]")).to_have_value(re.compile(".{20,}"), timeout=20_000)
    assert_accessible(page, "(details with ALTCHA)")
    page.get_by_role("button", name=text["reserve"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["held"])
    assert_accessible(page, "(held)")

    page.goto(link_from_mail(email, "/confirm/", live_server.url))
    assert_accessible(page, "(confirm)")
    page.get_by_role("button", name=text["book"]).click()
    expect(page.get_by_text(text["booked"])).to_be_visible()
    appointment = Appointment.objects.get(applicant_email=email)
    assert appointment.status == Status.CONFIRMED
    expect(page.locator(".reference").first).to_have_text(appointment.reference)
    expect(page.get_by_role("img", name=re.compile(appointment.reference))).to_be_visible()
    assert_accessible(page, "(confirmation page)")

    page.get_by_role("link", name=text["rebook"]).click()
    assert_accessible(page, "(rebook: days)")
    page.locator(".day-list a").nth(1).click()
    page.get_by_role("button", name=text["move"]).click()
    expect(page.get_by_text(text["booked"])).to_be_visible()
    moved = Appointment.objects.get(pk=appointment.pk)
    assert moved.reference == appointment.reference and moved.starts_at != appointment.starts_at

    page.get_by_role("link", name=text["cancel"]).click()
    assert_accessible(page, "(cancel)")
    page.get_by_role("button", name=text["yes_cancel"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["cancelled"])
    assert Appointment.objects.get(pk=appointment.pk).status == Status.CANCELLED


def test_emergency_request_and_staff_pages(live_server, page, office):
    page.goto(f"{live_server.url}/de/appointments/emergency/")
    assert_accessible(page, "(emergency form)")
    page.get_by_label("Mein Aufenthaltstitel läuft in den nächsten 14 Tagen ab").check()
    page.get_by_label("Ihr aktueller Aufenthaltstitel ist gültig bis").fill("2030-01-10")
    page.get_by_label("Anliegen").select_option(index=1)
    page.get_by_label("Vor- und Nachname").fill("Eilig Person")
    page.get_by_label("E-Mail-Adresse").fill("eilig@example.org")
    page.get_by_label(re.compile("Ich bin einverstanden")).check()
    page.get_by_role("button", name="Anfrage senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Anfrage ist eingegangen")
    assert_accessible(page, "(emergency received)")

    UserFactory(username="rezeption", roles=[Role.RECEPTION])
    page.goto(f"{live_server.url}/de/staff/login/")
    page.get_by_label("Benutzername").fill("rezeption")
    page.get_by_label("Passwort").fill("correct horse battery staple")
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("link", name=re.compile("Notfallanfragen")).click()
    assert_accessible(page, "(triage queue)")
    page.get_by_role("link", name="Mein Aufenthaltstitel läuft in den nächsten 14 Tagen ab").click()
    assert_accessible(page, "(triage request)")
    page.goto(f"{live_server.url}/de/staff/booking/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tagesplan")
    assert_accessible(page, "(day plan)")
    page.goto(f"{live_server.url}/de/staff/booking/book/")
    assert_accessible(page, "(staff booking)")


def test_request_window_registration(live_server, page, office):
    from datetime import timedelta

    from willkommen.booking.models import RequestWindow, WindowRegistration
    from willkommen.catalog.models import Location, Service
    from willkommen.core import clock

    today = clock.local_today("Europe/Berlin")
    window = RequestWindow.objects.create(
        location=Location.objects.get(slug="hauptstelle"),
        service=Service.objects.get(slug="einbuergerung-unterlagen-einreichen"),
        opens_at=clock.now() - timedelta(hours=1), closes_at=clock.now() + timedelta(days=2),
        first_day=today + timedelta(days=20), last_day=today + timedelta(days=24),
    )  # fmt: skip
    page.goto(f"{live_server.url}/de/appointments/")
    page.get_by_role("link", name=re.compile("Einbürgerung")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Für Termine registrieren")
    page.get_by_label("Vor- und Nachname").fill("Lotte Los")
    page.get_by_label("E-Mail-Adresse").fill("lotte@example.org")
    page.get_by_label(re.compile("Ich bin einverstanden")).check()
    expect(page.locator("input[name=altcha]")).to_have_value(re.compile(".{20,}"), timeout=20_000)
    assert_accessible(page, "(request window)")
    page.get_by_role("button", name="Registrieren").click()
    expect(page.get_by_text("Sie sind registriert.")).to_be_visible()
    assert_accessible(page, "(registered)")
    assert WindowRegistration.objects.get(window=window).applicant_name == "Lotte Los"
