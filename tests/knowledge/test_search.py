"""Search on both databases: ranked, highlighted, escaped; German stemming on PostgreSQL."""

import pytest
from django.db import connection

from tests.knowledge.factories import article, editor, reader
from willkommen.knowledge import search, selectors

pytestmark = pytest.mark.django_db


def titles(hits):
    return [hit.article.title for hit in hits]


def test_a_word_in_the_title_ranks_above_a_word_in_the_text():
    author = editor()
    article(author, title="Passersatz", body="Wer keinen Pass hat, bekommt einen Reiseausweis.")
    article(author, title="Reiseausweis für Ausländer", body="Ein Ausweisersatz.", paragraph="§ 5")
    hits = search.search(selectors.visible_articles(author), "Reiseausweis")
    assert titles(hits) == ["Reiseausweis für Ausländer", "Passersatz"]


def test_every_word_must_match():
    author = editor()
    article(author, title="Chancenkarte", body="Punkte für Sprache und Alter.")
    article(author, title="Blaue Karte EU", body="Gehalt und Hochschulabschluss.")
    assert titles(search.search(selectors.visible_articles(author), "Karte Gehalt")) == [
        "Blaue Karte EU"
    ]


def test_hits_are_marked_and_the_rest_escaped():
    author = editor()
    article(
        author,
        title="Fiktion <b>wirkt</b>",
        body="Gebühr a < b & Fiktion <script>alert(1)</script> gilt",
    )
    (hit,) = search.search(selectors.visible_articles(author), "Fiktion")
    assert "<mark>Fiktion</mark>" in hit.title
    assert "&lt;b&gt;" in hit.title and "<b>" not in hit.title
    # PostgreSQL's headline drops what looks like a tag, SQLite's excerpt escapes it:
    # neither lets it through as markup.
    assert "<script>" not in hit.excerpt and "&lt; b &amp;" in hit.excerpt
    assert "<mark>Fiktion</mark>" in hit.excerpt


def test_search_sees_only_what_the_user_may_see():
    author = editor()
    article(author, title="Entwurf Fiktion", publish=False)
    article(author, title="Fiktion veröffentlicht")
    clerk = reader()
    assert titles(search.search(selectors.visible_articles(clerk), "Fiktion")) == [
        "Fiktion veröffentlicht"
    ]
    assert len(search.search(selectors.visible_articles(author), "Fiktion")) == 2


def test_an_empty_or_odd_query_finds_nothing_and_raises_nothing():
    author = editor()
    article(author)
    visible = selectors.visible_articles(author)
    assert search.search(visible, "") == []
    assert search.search(visible, "  !!! ") == []
    assert search.search(visible, '"unclosed -') == []


def test_the_paragraph_is_found():
    author = editor()
    article(author, title="Fiktionswirkung", paragraph="§ 81", body="Der alte Titel gilt fort.")
    assert titles(search.search(selectors.visible_articles(author), "81")) == ["Fiktionswirkung"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="German stemming: PostgreSQL only")
def test_german_stemming_on_postgresql():
    author = editor()
    article(author, title="Ablauf", body="Vor dem Ablauf der Aufenthaltstitel erinnern wir.")
    article(author, title="Anderes", body="Nichts dazu.")
    hits = search.search(selectors.visible_articles(author), "Aufenthaltstitels")
    assert titles(hits) == ["Ablauf"]
    assert "<mark>Aufenthaltstitel</mark>" in hits[0].excerpt
    assert hits[0].rank > 0
