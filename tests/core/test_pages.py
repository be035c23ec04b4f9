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
    response = client.get("/fr/services/blaue-karte-eu/?x=1")
    assert response.status_code == 302
    assert response["Location"] == "/de/services/blaue-karte-eu/?x=1"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "nicht in der Sprache „fr“ verfügbar" in page.content.decode()


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
def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_security_headers_on_every_page(client):
    response = client.get("/de/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_server_error_page_is_bilingual_and_static(client):
    from django.test import Client

    from willkommen.core import views

    response = views.server_error(Client().get("/").wsgi_request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Technischer Fehler" in body and "Technical error" in body


@pytest.mark.django_db
def test_pages_load_no_external_resources(client, demo_catalog):
    for path in ["/de/", "/en/services/blaue-karte-eu/", "/de/staff/login/", "/api/v1/docs"]:
        body = client.get(path).content.decode()
        for marker in ["http://", "https://", "//cdn"]:
            for line in body.splitlines():
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
