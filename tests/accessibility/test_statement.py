"""The accessibility statement: versions, the page in several languages, the footer link."""

from datetime import date

import pytest

from willkommen.accessibility import selectors, services
from willkommen.accessibility.models import NonAccessiblePart, PublishedStatementError, Statement
from willkommen.demo import accessibility as demo

pytestmark = pytest.mark.django_db

FIELDS = {
    "conformance": "partial",
    "evaluation_method": "external",
    "evaluated_on": date(2026, 2, 2),
    "prepared_on": date(2025, 9, 1),
    "reviewed_on": date(2026, 2, 10),
    "feedback_email": "barrierefrei@abh.example.de",
    "feedback_phone": "0711 1234",
}
PART = {
    "part": {"de": "Die Karte der Standorte", "en": "The map of the locations"},
    "reason": {"de": "Kartendienst nicht barrierefrei", "en": "The map service is not accessible"},
}


def draft(**changes):
    return services.create_draft({**FIELDS, **changes}, [PART])


def test_the_page_shows_the_latest_published_version_and_never_a_draft(client):
    first = services.publish(draft(feedback_email="first@abh.example.de"))
    second = services.publish(draft(feedback_email="second@abh.example.de"))
    draft(feedback_email="draft@abh.example.de")
    assert (first.version, second.version) == (1, 2)
    body = client.get("/de/barrierefreiheit/").content.decode()
    assert "second@abh.example.de" in body
    assert "first@abh.example.de" not in body and "draft@abh.example.de" not in body
    assert "Die Karte der Standorte" in body and "Kartendienst nicht barrierefrei" in body
    assert "(Version 2)" in body or "Version 2" in body
    assert Statement.objects.count() == 3  # the older version stays


def test_a_published_version_is_history(client):
    statement = services.publish(draft())
    statement.feedback_email = "changed@example.org"
    with pytest.raises(PublishedStatementError):
        statement.save()
    with pytest.raises(PublishedStatementError):
        Statement.objects.filter(pk=statement.pk).update(conformance="full")
    with pytest.raises(PublishedStatementError):
        statement.delete()
    part = statement.parts.get()
    with pytest.raises(PublishedStatementError):
        part.save()
    with pytest.raises(PublishedStatementError):
        NonAccessiblePart.objects.create(statement=statement, part=PART["part"], reason={"de": "x"})
    with pytest.raises(services.AccessibilityError):
        services.publish(statement)  # published twice: refused, still version 1
    statement.refresh_from_db()
    assert statement.version == 1 and statement.feedback_email == FIELDS["feedback_email"]


def test_a_new_version_starts_as_a_copy_of_the_current_one():
    current = services.publish(draft())
    copy = services.new_draft()
    assert copy.version is None and copy.feedback_email == current.feedback_email
    assert [p.part for p in copy.parts.all()] == [PART["part"]]
    copy.conformance = "full"
    copy.save()  # a draft is edited freely
    assert selectors.current_statement() == current


def test_without_a_statement_the_page_still_offers_feedback_and_the_conciliation_body(client):
    body = client.get("/de/barrierefreiheit/").content.decode()
    assert 'id="no-statement"' in body
    assert "/de/barriere-melden/" in body
    assert "https://www.schlichtungsstelle-bgg.de" in body


@pytest.mark.parametrize(
    ("language", "heading", "status"),
    [
        ("de", "Erklärung zur Barrierefreiheit", "teilweise"),
        ("en", "Accessibility statement", "partially compliant"),
        ("ar", "بيان إمكانية الوصول", "ينطبق هذا البيان"),
        ("uk", "Заява про доступність", "Ця заява стосується"),
    ],
)
def test_the_demo_statement_in_several_languages(client, language, heading, status):
    assert demo.load().startswith("published")
    body = client.get(f"/{language}/barrierefreiheit/").content.decode()
    assert heading in body and status in body
    assert "https://www.schlichtungsstelle-bgg.de" in body
    assert "https://www.sozialministerium.baden-wuerttemberg.de" in body  # the Land's body
    assert demo.load() == "a statement is already published"


def test_the_demo_statement_has_every_text_in_all_nine_languages(settings):
    demo.load()
    statement = selectors.current_statement()
    languages = {code for code, _name in settings.LANGUAGES}
    texts = [statement.scope, statement.evaluation_detail, statement.state_body_name]
    texts += [
        t for part in statement.parts.all() for t in (part.part, part.reason, part.alternative)
    ]
    assert all(set(text) == languages and all(text.values()) for text in texts)


@pytest.mark.parametrize(
    "path", ["/de/", "/en/leichte-sprache/", "/fr/gebaerdensprache/", "/tr/barriere-melden/"]
)
def test_every_public_page_links_the_statement_and_the_report_form_in_its_footer(client, path):
    body = client.get(path).content.decode()
    footer = body[body.index('<footer class="site-footer">') :]
    language = path.split("/")[1]
    assert f'href="/{language}/barrierefreiheit/"' in footer
    assert f'href="/{language}/barriere-melden/"' in footer


def test_the_old_address_leads_to_the_statement(client):
    response = client.get("/de/accessibility/")
    assert response.status_code == 301 and response["Location"] == "/de/barrierefreiheit/"


def test_the_start_page_links_leichte_sprache_and_dgs(client):
    body = client.get("/de/").content.decode()
    assert 'href="/de/leichte-sprache/"' in body and 'href="/de/gebaerdensprache/"' in body


def test_leichte_sprache_is_german_in_every_page_language(client):
    body = client.get("/ar/leichte-sprache/").content.decode()
    assert 'lang="de"' in body and "Das ist die Internet·seite der Ausländer·behörde" in body
    assert 'href="/ar/barriere-melden/"' in body
