"""Reception, clerk and waiting-room display in three browser contexts, on a real uvicorn.

The display's live path (server-sent events) needs the ASGI server, so these pages
are served by uvicorn on the test database rather than by the WSGI live server.
"""

import re
import time
from datetime import datetime, timedelta
from datetime import time as day_time
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.booking.factories import AppointmentFactory
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_staff import log_in
from tests.frontdesk.asgi_server import AsgiServer, database_url_for_subprocess
from tests.frontdesk.factories import build_office, clerk_at, walk_in
from willkommen.accounts.roles import Role
from willkommen.core import clock
from willkommen.frontdesk import services
from willkommen.frontdesk.models import Visit, WorkItem

BERLIN = ZoneInfo("Europe/Berlin")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def office_server(transactional_db, settings):
    # The server process knows PBKDF2, not the fast test hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    office = build_office()
    UserFactory(username="erika", roles=[Role.RECEPTION])
    UserFactory(username="samir", roles=[Role.CLERK], member_of=[office["family"]])
    # The server runs on the real clock, and check-in is only on the appointment's day:
    # just after the location's midnight, 12 minutes ago was yesterday. Then the
    # appointment starts at midnight, and its lateness is only asserted once it is
    # surely past the 5 minutes at which the reception marks it late.
    now = clock.now()
    midnight = datetime.combine(clock.local_today("Europe/Berlin"), day_time.min, tzinfo=BERLIN)
    starts_at = max(now - timedelta(minutes=12), midnight)
    office["late"] = now - starts_at >= timedelta(minutes=7)
    office["appointment"] = AppointmentFactory(
        location=office["location"], service=office["extend"], applicant_name="Amira Haddad",
        persons=1, starts_at=starts_at,
    )  # fmt: skip
    server = AsgiServer(database_url_for_subprocess())
    office["server"] = server
    yield server.url, office
    server.stop()


def test_reception_clerk_and_display(office_server, new_page):
    base, office = office_server
    reference = office["appointment"].reference
    reception, clerk, display = new_page(), new_page(), new_page()

    display.goto(f"{base}/de/display/hauptstelle/")
    expect(display.get_by_text("Heute noch keine Aufrufe.")).to_be_visible()
    assert_accessible(display, "(display, empty)")

    log_in(reception, base, "erika")
    reception.goto(f"{base}/de/staff/frontdesk/reception/")
    assert_accessible(reception, "(reception)")
    reception.get_by_label("Buchungsnummer oder Name").fill(reference.lower())
    reception.get_by_role("button", name="Termin suchen").click()
    found = reception.get_by_role("row", name=re.compile(reference))
    expect(found).to_contain_text("Amira Haddad")
    if office["late"]:
        expect(found).to_contain_text("zu spät")
    assert_accessible(reception, "(appointment found)")
    reception.get_by_role("button", name=f"Einchecken {reference}").click()
    expect(reception.get_by_role("heading", level=1)).to_contain_text("A001")
    reception.get_by_role("link", name="Zurück zum Empfang").click()
    reception.get_by_label("Anliegen", exact=True).select_option(label="Anliegen verlaengern")
    reception.get_by_role("button", name="Wartenummer ausgeben").click()
    expect(reception.get_by_role("heading", level=1)).to_contain_text("A002")
    expect(reception.locator(".ticket-qr svg")).to_be_visible()
    assert_accessible(reception, "(printable ticket)")
    reception.get_by_role("link", name="Seite der Wartenummer öffnen").click()
    expect(reception.get_by_text("Vor Ihnen")).to_be_visible()
    assert_accessible(reception, "(public ticket page)")

    reception.goto(f"{base}/de/staff/frontdesk/reception/")
    reception.get_by_role("link", name="Prüfen A002").click()
    assert_accessible(reception, "(document check)")
    reception.get_by_label("Pass").check()
    reception.get_by_role("button", name="Prüfung speichern").click()
    expect(reception.get_by_role("status")).to_contain_text("1 fehlen")

    log_in(clerk, base, "samir")
    clerk.goto(f"{base}/de/staff/frontdesk/clerk/")
    assert_accessible(clerk, "(workstation sign-in)")
    clerk.get_by_label("Schalter oder Raum").select_option(
        label="Standort hauptstelle: Raum 1 – Familie"
    )
    clerk.get_by_role("button", name="An diesem Schalter anmelden").click()
    assert_accessible(clerk, "(workstation)")
    started = time.monotonic()
    clerk.get_by_role("button", name="Nächste Person aufrufen").click()
    newest = display.locator("[data-calls] tr").first
    expect(newest).to_have_attribute("data-ticket", "A001", timeout=1000)
    shown_after = time.monotonic() - started
    expect(newest).to_contain_text("Raum 1")
    assert shown_after < 1.0, f"display showed the call after {shown_after:.2f} s"
    expect(display.get_by_text("Amira")).to_have_count(0)  # nothing personal
    assert_accessible(display, "(display with a call)")

    expect(clerk.locator(".current-visit")).to_contain_text("A001")
    clerk.get_by_role("button", name="Bedienung beginnen A001").click()
    clerk.get_by_label("Anwesende Personen").fill("1")
    for row, person in enumerate(["Vater", "Kind 1", "Kind 2", "Kind 3"], start=1):
        clerk.get_by_label(f"Person, für die gearbeitet wurde {row}").fill(person)
        clerk.get_by_label(f"Erledigtes Anliegen {row}").select_option(label="Anliegen verlaengern")
        if row > 1:
            clerk.get_by_label(f"Person {row} war anwesend").uncheck()
    clerk.get_by_label("Eine Fiktionsbescheinigung wurde ausgestellt").check()
    assert_accessible(clerk, "(finish form)")
    clerk.get_by_role("button", name="Vorsprache abschließen").click()
    expect(clerk.get_by_role("status")).to_contain_text("1 anwesend, 4 Arbeitsvorgänge")

    visit = Visit.objects.get(ticket_number=1)
    assert visit.status == "done" and visit.appointment_id == office["appointment"].pk
    assert visit.persons_present == 1 and visit.interim_certificate
    assert WorkItem.objects.filter(visit=visit, person_present=False).count() == 3


def test_overview_for_a_team_lead(office_server, new_page):
    base, _office = office_server
    UserFactory(username="tanja", roles=[Role.TEAM_LEAD])
    page = new_page()
    log_in(page, base, "tanja")
    page.goto(f"{base}/de/staff/frontdesk/reception/")
    page.get_by_label("Anliegen", exact=True).select_option(label="Anliegen verlaengern")
    page.get_by_role("button", name="Wartenummer ausgeben").click()
    page.goto(f"{base}/de/staff/frontdesk/overview/")
    expect(page.get_by_role("table", name="Warteschlangen je Team")).to_contain_text("Familie")
    assert_accessible(page, "(queue overview)")
    page.get_by_label("Priorität A001").select_option(label="Notfall")
    page.get_by_label("Grund A001").fill("Kind krank")
    page.get_by_role("button", name="Priorität setzen A001").click()
    expect(page.get_by_role("status")).to_contain_text("Priorität von A001: Notfall")


def test_display_reconnects_after_a_server_restart(office_server, new_page):
    base, office = office_server
    display = new_page()
    display.goto(f"{base}/de/display/hauptstelle/")
    expect(display.get_by_text("Heute noch keine Aufrufe.")).to_be_visible()
    server = office["server"]
    server.stop()
    display.wait_for_timeout(1500)  # the stream is gone; the page retries
    restarted = AsgiServer(database_url_for_subprocess(), port=server.port)
    try:
        walk_in(office["location"], office["extend"])
        services.call_next(user=clerk_at(office["family_counter"]))
        expect(display.locator("[data-calls] tr").first).to_have_attribute(
            "data-ticket", "A001", timeout=10_000
        )
    finally:
        restarted.stop()
