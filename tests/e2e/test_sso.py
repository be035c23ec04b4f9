"""A clerk signs on through the city's identity provider's own page, and logs out there."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import TeamFactory, UserFactory
from tests.accounts.oidc_provider import configure, start_provider
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def provider(settings, monkeypatch):
    server, provider = start_provider(monkeypatch)
    configure(settings, provider)
    yield provider
    server.shutdown()
    server.server_close()


def test_clerk_signs_on_at_the_provider_and_logs_out_there(live_server, page, provider):
    # The provider's page links a stylesheet on a CDN: nothing leaves this machine.
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())
    TeamFactory(slug="familie", name="Familie")
    provider.set_person(
        "7d1e-sachbearbeitung",
        preferred_username="m.nowak",
        given_name="Marta",
        family_name="Nowak",
        email="m.nowak@stadt.example",
        groups=["abh-sachbearbeitung", "abh-familie"],
    )

    page.goto(f"{live_server.url}/de/staff/login/")
    assert_accessible(page, "(staff login with single sign-on)")
    page.get_by_role("link", name="Mit dem Dienstkonto anmelden").click()

    expect(page).to_have_url(re.compile(re.escape(provider.url) + "/oauth2/authorize"))
    page.get_by_placeholder("sub").fill("7d1e-sachbearbeitung")
    page.get_by_role("button", name="Authorize").click()

    expect(page).to_have_url(f"{live_server.url}/de/staff/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Willkommen")
    expect(page.get_by_text("Familie")).to_be_visible()
    expect(page.get_by_text("Sachbearbeitung").first).to_be_visible()

    page.get_by_role("button", name="Abmelden").click()
    expect(page).to_have_url(re.compile(re.escape(provider.url) + "/oauth2/end_session"))
    page.get_by_role("button", name="End session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung für Mitarbeitende")
    page.goto(f"{live_server.url}/de/staff/")
    expect(page).to_have_url(re.compile(r"/de/staff/login/\?next="))


def test_a_person_without_a_role_is_told_so(live_server, page, provider):
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())
    provider.set_person("9a-sportverein", preferred_username="gast", groups=["sportverein"])
    page.goto(f"{live_server.url}/de/staff/login/")
    page.get_by_role("link", name="Mit dem Dienstkonto anmelden").click()
    page.get_by_placeholder("sub").fill("9a-sportverein")
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_text("Ihr Dienstkonto hat keine Rolle in willkommen.")).to_be_visible()
    assert_accessible(page, "(staff login after a refused sign-on)")


def test_with_local_passwords_off_the_break_glass_superuser_still_gets_in(
    live_server, page, provider, settings
):
    settings.LOCAL_PASSWORD_LOGIN = False
    UserFactory(username="notfall", is_superuser=True, is_staff=True)
    page.goto(f"{live_server.url}/de/staff/login/")
    expect(page.get_by_label("Benutzername")).to_be_hidden()
    page.get_by_text("Notfallzugang für Administratoren").click()
    assert_accessible(page, "(staff login, emergency access open)")
    page.get_by_label("Benutzername").fill("notfall")
    page.get_by_label("Passwort").fill("correct horse battery staple")
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/de/staff/")
