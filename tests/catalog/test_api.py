import pytest

pytestmark = pytest.mark.django_db


def test_services_in_german_by_default(client, demo_catalog):
    response = client.get("/api/v1/services")
    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    names = {s["slug"]: s["name"] for s in response.json()}
    assert names["niederlassungserlaubnis"] == "Niederlassungserlaubnis beantragen"
    assert len(names) == 20


def test_language_from_query_and_header(client, demo_catalog):
    by_query = client.get("/api/v1/services/blaue-karte-eu", {"lang": "en"})
    by_header = client.get("/api/v1/services/blaue-karte-eu", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.8")
    assert by_query.json()["name"] == by_header.json()["name"] == "EU Blue Card – issue or extend"
    assert by_query["Content-Language"] == "en"


def test_unknown_language_falls_back_to_german_and_says_so(client, demo_catalog):
    response = client.get("/api/v1/services/blaue-karte-eu", {"lang": "tlh"})
    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    assert response["X-Language-Fallback"] == "de"
    assert response.json()["name"].startswith("Blaue Karte EU")


def test_service_detail_has_checklist_with_conditions(client, demo_catalog):
    data = client.get("/api/v1/services/aufenthaltserlaubnis-verlaengern?lang=en").json()
    assert data["checklist"]
    conditional = [i for i in data["checklist"] if i["condition"]]
    assert conditional and conditional[0]["condition"]["question"].endswith("?")
    assert {i["form"] for i in data["checklist"]} <= {"original", "copy", "original_and_copy"}


def test_unknown_service_and_location_are_404(client, demo_catalog):
    assert client.get("/api/v1/services/nope").status_code == 404
    response = client.get("/api/v1/locations/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "Standort nicht gefunden"}  # German unless asked
    english = client.get("/api/v1/locations/nope?lang=en")
    assert english.json() == {"detail": "Location not found"}


def test_locations_with_counters(client, demo_catalog):
    data = client.get("/api/v1/locations?lang=en").json()
    assert [loc["slug"] for loc in data] == ["hauptstelle", "nord"]
    assert data[0]["timezone"] == "Europe/Berlin"
    assert len(data[0]["counters"]) >= 10


def test_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/services/{slug}" in spec["paths"]
    assert "/api/v1/locations" in spec["paths"]


def test_api_docs_are_served_locally(client):
    body = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui" in body
    assert "cdn.jsdelivr" not in body


def test_control_characters_in_the_language_are_harmless(client, demo_catalog):
    response = client.get("/api/v1/services", {"lang": "x\nSet-Cookie: a=b"})
    assert response.status_code == 200
    assert response["X-Language-Fallback"] == "de"
    assert "Set-Cookie" not in response.headers
