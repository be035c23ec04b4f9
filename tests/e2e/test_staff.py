import pytest
from playwright.sync_api import expect

from tests.accounts.factories import TeamFactory, UserFactory
from tests.e2e.conftest import assert_accessible
from willkommen.accounts.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def log_in(page, base_url, username):
    page.goto(f"{base_url}/de/staff/login/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def test_clerk_logs_in_sees_start_page_and_logs_out(live_server, page):
    UserFactory(username="samir", roles=[Role.CLERK], member_of=[TeamFactory(name="Familie")])
    log_in(page, live_server.url, "samir")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Willkommen")
    expect(page.get_by_text("Familie")).to_be_visible()
    expect(page.get_by_role("link", name="Verwaltung")).to_have_count(0)
    assert_accessible(page, "(staff start page)")
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung für Mitarbeitende")


def test_admin_reaches_the_administration(live_server, page):
    UserFactory(username="ada", roles=[Role.ADMIN], is_staff=True)
    log_in(page, live_server.url, "ada")
    page.get_by_role(
        "link", name="Verwaltung: Benutzer, Teams, Standorte, Dienstleistungen"
    ).click()
    expect(page.get_by_role("link", name="Dienstleistungen").first).to_be_visible()
    assert_accessible(page, "(admin index)")


def test_a_clerk_creates_uses_and_revokes_an_access_token(live_server, page):
    import httpx

    UserFactory(username="tomas", roles=[Role.CLERK], member_of=[TeamFactory(name="Familie")])
    log_in(page, live_server.url, "tomas")
    page.get_by_role("link", name="Zugangstoken für die API").click()
    expect(page.get_by_text("Sie haben noch keine Token.")).to_be_visible()
    assert_accessible(page, "(access tokens, empty)")
    page.get_by_label("Name").fill("Nächtlicher Export")
    page.get_by_label("Sachbearbeitung").check()
    page.get_by_role("button", name="Token erstellen").click()
    secret = page.locator("#new-token").inner_text()
    assert_accessible(page, "(access tokens, new secret shown)")
    answer = httpx.get(
        f"{live_server.url}/api/v1/staff/cases", headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status_code == 200 and answer.json() == []
    page.get_by_role("button", name="„Nächtlicher Export“ widerrufen").click()
    expect(page.get_by_text("ist widerrufen")).to_be_visible()
    assert secret not in page.content()
    answer = httpx.get(
        f"{live_server.url}/api/v1/staff/cases", headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status_code == 401
