import re

import pytest
from django.core.management import call_command
from django.test import override_settings


@pytest.mark.django_db
def test_root_redirects_to_a_language(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/de/"


@pytest.mark.django_db
def test_root_follows_accept_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Location"] == "/en/"


@pytest.mark.django_db
def test_unknown_language_falls_back_to_german_with_notice(client, demo_catalog):
    response = client.get("/it/services/blaue-karte-eu/?x=1")
    assert response.status_code == 302
    assert response["Location"] == "/de/services/blaue-karte-eu/?x=1"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "nicht in der Sprache „it“ verfügbar" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "text"),
    [("/de/gibt-es-nicht/", "Seite nicht gefunden"), ("/en/does-not-exist/", "Page not found")],
)
def test_not_found_page_speaks_the_language_of_the_url(client, path, text):
    response = client.get(path)
    assert response.status_code == 404
    assert text in response.content.decode()


@pytest.mark.django_db
def test_healthz_live(client):
    assert client.get("/healthz/live").json() == {"status": "ok"}


@pytest.mark.django_db
def test_security_headers_on_every_page(client):
    response = client.get("/de/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "direction"),
    [
        ("de", "Technischer Fehler", "ltr"),
        ("ar", "خطأ تقني", "rtl"),
        ("uk", "Технічна помилка", "ltr"),
    ],
)
def test_server_error_page_speaks_the_page_language_with_german_below(language, heading, direction):
    from django.test import Client
    from django.utils import translation

    from willkommen.core import views

    request = Client().get("/").wsgi_request
    with translation.override(language):  # as LanguageMiddleware left it for the request
        response = views.server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}" dir="{direction}">' in body
    assert f"<h1>{heading}</h1>" in body
    assert f'href="/{language}/"' in body
    # German for the counter staff the applicant shows the screen to; once on a German page.
    assert body.count("Technischer Fehler") == (2 if language == "de" else 1)
    if language != "de":
        assert '<h2 lang="de" dir="ltr">Technischer Fehler</h2>' in body


@pytest.mark.django_db
def test_pages_load_no_external_resources(client, demo_catalog):
    from django.conf import settings

    # Links that name the page's own address (canonical, its language versions) load nothing.
    base = re.escape(settings.PUBLIC_BASE_URL)
    own = re.compile(rf'<link rel="(canonical|alternate)" (hreflang="[^"]+" )?href="{base}/')
    for path in ["/de/", "/en/services/blaue-karte-eu/", "/de/staff/login/", "/api/v1/docs"]:
        body = client.get(path).content.decode()
        for marker in ["http://", "https://", "//cdn"]:
            for line in body.splitlines():
                if own.match(line.strip()):
                    continue
                if ("src=" in line or "href=" in line) and marker in line:
                    pytest.fail(f"{path} refers to an external resource: {line.strip()}")


@pytest.mark.django_db
@override_settings(LANGUAGE_CODE="de")
def test_compiled_catalogue_translates_the_ui(client, demo_catalog):
    call_command("compiletranslations")
    german = client.get("/de/services/blaue-karte-eu/").content.decode()
    english = client.get("/en/services/blaue-karte-eu/").content.decode()
    assert "Mitzubringende Unterlagen" in german
    assert "Documents to bring" in english


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "data", "content_type"),
    [
        ("get", "/api/v1/services/a%00b", None, None),
        ("get", "/api/v1/services?lang=d%00e", None, None),
        ("post", "/api/v1/services", '{"slug": "a\\u0000b"}', "application/json"),
        (
            "post",
            "/de/staff/login/",
            "username=a%00b&password=x",
            "application/x-www-form-urlencoded",
        ),
    ],
)
def test_nul_characters_get_a_clear_400_not_a_database_error(
    client, method, path, data, content_type
):
    kwargs = {"content_type": content_type} if content_type else {}
    response = getattr(client, method)(path, data, **kwargs) if data else client.get(path)
    assert response.status_code == 400


@pytest.mark.django_db
def test_percent_signs_and_uploads_with_nul_bytes_are_not_refused(client):
    assert client.get("/api/v1/services", {"lang": "100%"}).status_code == 200
    response = client.post("/de/staff/login/", {"username": "50%00", "password": "x"})
    assert response.status_code == 200  # a normal failed login, not a 400


# --- core stands on its own (imports: tests/test_layout.py) -----------------------


def test_core_templates_name_no_accounts_urls():
    from pathlib import Path

    import willkommen.core

    core = Path(willkommen.core.__file__).parent
    for template in core.rglob("*.html"):
        assert "accounts:" not in template.read_text(encoding="utf-8"), template


def test_no_literal_office_time_zone_in_cases_or_core():
    from pathlib import Path

    import willkommen

    root = Path(willkommen.__file__).parent
    for app in ("cases", "core"):
        for path in (root / app).rglob("*.py"):
            if "migrations" not in path.parts:
                assert "Europe/Berlin" not in path.read_text(encoding="utf-8"), path


@pytest.mark.django_db
def test_the_staff_links_and_the_admin_rule_come_from_accounts(client):
    from tests.accounts.factories import UserFactory
    from willkommen.accounts.roles import Role

    page = client.get("/de/").content.decode()
    assert 'href="/de/staff/"' in page  # registered by accounts, rendered by core's base template
    clerk = UserFactory(roles=[Role.CLERK], is_staff=True)
    client.force_login(clerk)
    assert client.get("/admin/").status_code == 302  # is_staff alone does not open the admin
    assert 'action="/de/staff/logout/"' in client.get("/de/").content.decode()
    client.force_login(UserFactory(roles=[Role.ADMIN]))
    assert client.get("/admin/").status_code == 200


def test_a_refused_edge_of_any_state_machine_is_one_api_answer(rf):
    """The API maps ``TransitionNotAllowed`` once (core.api.refused), for every endpoint."""
    import json

    from willkommen.api import api
    from willkommen.core.states import TransitionNotAllowed, TransitionTable

    table = TransitionTable.from_sources("demo", {"close": (["open"], "closed")})
    with pytest.raises(TransitionNotAllowed) as refused:
        table.target("closed", "close")
    from django.utils import translation

    with translation.override("en"):
        response = api.on_exception(rf.post("/api/v1/anything"), refused.value)
    assert response.status_code == 409
    assert json.loads(response.content) == {
        "code": "transition_not_allowed",
        "detail": "This is not possible in the current state.",
    }
    with translation.override("de"):
        german = api.on_exception(rf.post("/api/v1/anything"), refused.value)
    assert json.loads(german.content)["detail"] == "Das ist im jetzigen Zustand nicht möglich."
