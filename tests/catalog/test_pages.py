import pytest

pytestmark = pytest.mark.django_db


def test_home_lists_services_grouped(client, demo_catalog):
    body = client.get("/de/").content.decode()
    assert "Welches Anliegen haben Sie?" in body
    assert "Blaue Karte EU" in body
    assert body.count('class="service-group"') == 5


def test_home_search(client, demo_catalog):
    body = client.get("/en/", {"q": "blue card"}).content.decode()
    assert "EU Blue Card" in body
    assert "Settlement permit" not in body


def test_home_search_without_result_says_so(client, demo_catalog):
    body = client.get("/de/", {"q": "xyzzy"}).content.decode()
    assert "Kein Anliegen gefunden" in body


def test_home_search_refuses_oversize_query(client, demo_catalog):
    response = client.get("/de/", {"q": "x" * 500})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in body


def test_service_detail_shows_checklist_and_questions(client, demo_catalog):
    body = client.get("/de/services/aufenthaltserlaubnis-verlaengern/").content.decode()
    assert "Mitzubringende Unterlagen" in body
    assert "Reisepass" in body
    assert 'type="radio"' in body


def test_unknown_service_is_404(client, demo_catalog):
    response = client.get("/de/services/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_inactive_service_is_404(client, demo_catalog):
    from willkommen.catalog.models import Service

    Service.objects.filter(slug="chancenkarte").update(is_active=False)
    assert client.get("/de/services/chancenkarte/").status_code == 404


def test_personal_checklist_follows_answers(client, demo_catalog):
    url = "/en/services/aufenthaltserlaubnis-verlaengern/checklist/"
    employed = client.get(url, {"employed": "yes"}).content.decode()
    not_employed = client.get(url, {"employed": "no"}).content.decode()
    assert "payslips" in employed.lower()
    assert "payslips" not in not_employed.split("Depending on questions")[0].lower()


def test_personal_checklist_refuses_invalid_answer(client, demo_catalog):
    response = client.get(
        "/de/services/aufenthaltserlaubnis-verlaengern/checklist/", {"employed": "maybe"}
    )
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()


def test_checklist_pdf(client, demo_catalog):
    response = client.get(
        "/de/services/familiennachzug/checklist.pdf", {"married": "yes", "children_under_16": "no"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]


def test_checklist_pdf_with_invalid_answer_shows_the_form_instead(client, demo_catalog):
    response = client.get("/de/services/familiennachzug/checklist.pdf", {"married": "vielleicht"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_empty_checklist_has_an_honest_empty_state(client, demo_catalog):
    body = client.get("/de/services/verlust-eat-melden/").content.decode()
    assert "Keine Unterlagenliste" in body
    page = client.get("/de/services/verlust-eat-melden/checklist/").content.decode()
    assert "Keine Unterlagenliste" in page
    pdf = client.get("/de/services/verlust-eat-melden/checklist.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_language_switch_keeps_page_and_answers(client, demo_catalog):
    body = client.get(
        "/de/services/familiennachzug/checklist/", {"married": "yes"}
    ).content.decode()
    assert 'href="/en/services/familiennachzug/checklist/?married=yes"' in body


def test_locations_page(client, demo_catalog):
    body = client.get("/en/locations/").content.decode()
    assert "Musterstraße 12" in body


def test_public_pages_answer_head_and_refuse_post(client, demo_catalog):
    """Uptime monitors and link checkers ask with HEAD; nothing here takes a POST."""
    head = client.head("/de/")
    assert head.status_code == 200
    assert head.content == b""
    assert client.post("/de/").status_code == 405
