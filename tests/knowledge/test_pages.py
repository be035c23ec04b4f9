"""The staff pages: who may read and write what, the diff escaped, the forms' refusals."""

from datetime import timedelta

import pytest

from tests.knowledge.factories import PAST, article, editor, reader
from willkommen.accounts.roles import Role
from willkommen.core import clock
from willkommen.knowledge import services
from willkommen.knowledge.models import Article, ArticleKind, ArticleStatus

pytestmark = pytest.mark.django_db


def url(name="", pk=None):
    base = "/de/staff/knowledge/"
    return base + (f"{pk}/" if pk else "") + name


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(url())
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("role", [Role.CLERK, Role.RECEPTION, Role.CONTROLLER])
def test_readers_see_published_articles_only(client, role):
    author = editor()
    published = article(author, title="Veröffentlicht")
    draft = article(author, title="Entwurf", publish=False)
    client.force_login(reader(role))
    listing = client.get(url()).content.decode()
    assert "Veröffentlicht" in listing and "Entwurf" not in listing
    assert client.get(url(pk=published.pk)).status_code == 200
    assert client.get(url(pk=draft.pk)).status_code == 404
    assert "Neuer Artikel" not in listing


def test_readers_cannot_edit_or_move(client):
    made = article()
    client.force_login(reader())
    assert client.get(url("edit/", made.pk)).status_code == 403
    assert client.post(url("state/", made.pk), {"action": "archive"}).status_code == 403
    assert client.get(url("new/")).status_code == 403
    assert Article.objects.get(pk=made.pk).status == ArticleStatus.PUBLISHED


def test_an_editor_creates_edits_and_publishes(client):
    lead = editor()
    client.force_login(lead)
    review_on = (clock.office_today() + timedelta(days=90)).isoformat()
    form = {
        "kind": ArticleKind.INSTRUCTION,
        "title": "Dienstanweisung Fiktionsbescheinigung",
        "body": "Ausstellen, wenn der Antrag vor Ablauf gestellt wurde.",
        "owner": lead.pk,
        "review_on": review_on,
    }
    response = client.post(url("new/"), form)
    made = Article.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{made.pk}/")
    response = client.post(
        url("edit/", made.pk),
        {**form, "body": "Ausstellen nur bei rechtzeitigem Antrag.", "expected_version": 1},
    )
    assert response.status_code == 302
    client.post(url("state/", made.pk), {"action": "publish"})
    made.refresh_from_db()
    assert (made.version, made.status) == (2, ArticleStatus.PUBLISHED)
    page = client.get(url(pk=made.pk)).content.decode()
    assert "Änderungen von Version 1 zu Version 2" in page


def test_a_bad_form_changes_nothing(client):
    lead = editor()
    client.force_login(lead)
    response = client.post(
        url("new/"),
        {"kind": ArticleKind.LEGAL_BASIS, "title": "Ohne Paragraf", "body": "x", "owner": lead.pk,
         "review_on": "2030-01-01"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Eine Rechtsgrundlage nennt ihren Paragrafen." in response.content.decode()
    assert not Article.objects.exists()


def test_a_stale_edit_shows_a_conflict_and_changes_nothing(client):
    lead = editor()
    made = article(lead)
    services.edit_article(
        made,
        services.ArticleContent(
            kind=made.kind, title=made.title, body="Von jemand anderem.", owner=lead,
            review_on=made.review_on, paragraph=made.paragraph, statute=made.statute,
        ),
        actor=lead,
        expected_version=1,
    )  # fmt: skip
    client.force_login(lead)
    response = client.post(
        url("edit/", made.pk),
        {"kind": made.kind, "title": made.title, "body": "Mein Text.", "owner": lead.pk,
         "review_on": made.review_on.isoformat(), "paragraph": "§ 8", "expected_version": 1},
    )  # fmt: skip
    assert response.status_code == 409
    assert Article.objects.get(pk=made.pk).body == "Von jemand anderem."


def test_an_impossible_move_is_refused(client):
    lead = editor()
    made = article(lead)
    client.force_login(lead)
    response = client.post(url("state/", made.pk), {"action": "publish"}, follow=True)
    assert "nicht in einem Zustand" in response.content.decode()
    assert client.post(url("state/", made.pk), {"action": "create"}).status_code == 302
    assert Article.objects.get(pk=made.pk).events.count() == 2  # create, publish


def test_the_diff_is_shown_escaped(client):
    lead = editor()
    made = article(lead, body="Zeile eins\nZeile zwei")
    services.edit_article(
        made,
        services.ArticleContent(
            kind=made.kind, title=made.title, body="Zeile eins\n<img src=x onerror=alert(1)>",
            owner=lead, review_on=made.review_on, paragraph="§ 8", statute="AufenthG",
        ),
        actor=lead,
        expected_version=1,
    )  # fmt: skip
    client.force_login(reader())
    page = client.get(url(pk=made.pk) + "?from=1&to=2").content.decode()
    assert "<del>Zeile zwei</del>" in page
    assert "<ins>&lt;img src=x onerror=alert(1)&gt;</ins>" in page
    assert "<img src=x" not in page
    assert client.get(url(pk=made.pk) + "?from=1&to=9").status_code == 200  # no such: no diff


def test_search_on_the_page_marks_hits(client):
    article(title="Chancenkarte", body="Punkte für die Chancenkarte.", paragraph="§ 20a")
    client.force_login(reader())
    page = client.get(url() + "?q=Chancenkarte").content.decode()
    assert "<mark>Chancenkarte</mark>" in page
    assert "1 Artikel gefunden" in page


def test_the_review_due_filter_for_editors(client):
    lead = editor()
    article(lead, title="Überfällig", review_on=PAST)
    article(lead, title="Aktuell")
    client.force_login(lead)
    page = client.get(url() + "?review_due=on").content.decode()
    assert "Überfällig" in page and "Aktuell" not in page
