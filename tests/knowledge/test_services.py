"""Writing articles: versions on every edit, refusals that change nothing, the state table."""

import pytest

from tests.knowledge.factories import article, content, editor, reader
from willkommen.core.models import AppendOnlyError
from willkommen.core.states import TransitionNotAllowed
from willkommen.knowledge import services
from willkommen.knowledge.models import (
    Article,
    ArticleAction,
    ArticleEvent,
    ArticleStatus,
    ArticleVersion,
)
from willkommen.knowledge.states import TABLE

pytestmark = pytest.mark.django_db


def test_a_new_article_is_a_draft_with_its_first_version():
    author = editor()
    made = services.create_article(content(author), actor=author)
    assert made.status == ArticleStatus.DRAFT
    first = made.versions.get()
    assert (first.number, first.author, first.title) == (1, author, made.title)
    assert made.events.get().action == ArticleAction.CREATE


def test_every_edit_is_a_new_version_with_author_and_the_old_text_kept():
    author, other = editor(), editor(username="ada")
    made = article(author)
    edited = services.edit_article(
        made,
        content(author, body="Neuer Text."),
        actor=other,
        expected_version=1,
        note="gekürzt",
    )
    assert edited.version == 2 and edited.body == "Neuer Text."
    old, new = made.versions.order_by("number")
    assert "Voraussetzungen" in old.body and old.author == author
    assert (new.body, new.author, new.note) == ("Neuer Text.", other, "gekürzt")


def test_a_stale_edit_is_refused_and_changes_nothing():
    author = editor()
    made = article(author)
    services.edit_article(made, content(author, body="Eins."), actor=author, expected_version=1)
    with pytest.raises(services.KnowledgeError) as refused:
        services.edit_article(made, content(author, body="Zwei."), actor=author, expected_version=1)
    assert refused.value.code == "stale_version"
    assert Article.objects.get(pk=made.pk).body == "Eins."
    assert ArticleVersion.objects.filter(article=made).count() == 2


def test_an_edit_that_changes_nothing_is_refused():
    author = editor()
    made = article(author)
    with pytest.raises(services.KnowledgeError) as refused:
        services.edit_article(made, content(author), actor=author, expected_version=1)
    assert refused.value.code == "nothing_changed"
    assert made.versions.count() == 1


def test_changed_links_alone_are_a_new_version(demo_catalog):
    from willkommen.catalog.models import Service

    author = editor()
    made = article(author)
    service = Service.objects.get(slug="aufenthaltserlaubnis-verlaengern")
    services.edit_article(
        made, content(author, services=[service]), actor=author, expected_version=1
    )
    newest = made.versions.get(number=2)
    assert newest.links["services"] == ["Aufenthaltserlaubnis verlängern"]
    assert list(made.services.all()) == [service]


def test_clerks_cannot_write():
    clerk, author = reader(), editor()
    with pytest.raises(services.KnowledgeError) as refused:
        services.create_article(content(author), actor=clerk)
    assert refused.value.http_status == 403
    made = article(author)
    with pytest.raises(services.KnowledgeError):
        services.move_article(made, ArticleAction.ARCHIVE, actor=clerk)
    assert Article.objects.get(pk=made.pk).status == ArticleStatus.PUBLISHED


def test_the_highlight_marks_cannot_be_stored():
    author = editor()
    made = article(author, title="A\ue000B", body="x\ue001y")
    assert (made.title, made.body) == ("AB", "xy")


def test_versions_and_events_are_append_only():
    made = article()
    version = made.versions.first()
    with pytest.raises(AppendOnlyError):
        version.save()
    with pytest.raises(AppendOnlyError):
        version.delete()
    with pytest.raises(AppendOnlyError):
        ArticleVersion.objects.filter(article=made).update(title="x")
    with pytest.raises(AppendOnlyError):
        ArticleEvent.objects.filter(article=made).delete()


EDGES = sorted(TABLE.edges.items())


@pytest.mark.parametrize(("edge", "target"), EDGES, ids=[f"{s}-{a}" for (s, a), _ in EDGES])
def test_every_edge_of_the_state_table(edge, target):
    source, action = edge
    author = editor()
    made = article(author, publish=False)
    path = {
        ArticleStatus.DRAFT: [],
        ArticleStatus.PUBLISHED: [ArticleAction.PUBLISH],
        ArticleStatus.ARCHIVED: [ArticleAction.ARCHIVE],
    }[source]
    for step in path:
        made = services.move_article(made, step, actor=author)
    moved = services.move_article(made, action, actor=author)
    assert moved.status == target
    event = moved.events.order_by("-at", "-pk").first()
    assert (event.action, event.from_status, event.to_status) == (action, source, target)


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (status, action)
        for status in ArticleStatus.values
        for action in ArticleAction.values
        if action != ArticleAction.CREATE and not TABLE.allows(status, action)
    ],
)
def test_an_edge_not_in_the_table_is_refused(status, action):
    author = editor()
    made = article(author, publish=False)
    if status == ArticleStatus.PUBLISHED:
        made = services.move_article(made, ArticleAction.PUBLISH, actor=author)
    elif status == ArticleStatus.ARCHIVED:
        made = services.move_article(made, ArticleAction.ARCHIVE, actor=author)
    events = made.events.count()
    with pytest.raises(TransitionNotAllowed):
        services.move_article(made, action, actor=author)
    assert Article.objects.get(pk=made.pk).status == status
    assert made.events.count() == events
