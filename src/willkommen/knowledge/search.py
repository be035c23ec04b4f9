"""Full-text search over the articles a user may see, ranked, with highlighted hits.

PostgreSQL: ``SearchVector``/``SearchQuery`` with the German configuration (so
"Aufenthaltstitels" finds "Aufenthaltstitel"), ``SearchRank`` with the title and the
cited paragraph weighted above the text, and ``SearchHeadline`` for the excerpt.
SQLite has no such search: every word must occur in the title, the citation or the
text (``icontains``), articles with more words in the title come first, and the
excerpt is cut and marked here.

Either way the page gets HTML that is escaped first and marked after: the database
marks hits with two private-use characters (``HIGHLIGHT_MARKS``, which the services
strip from every article), the text is escaped, then the marks become ``<mark>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

START, STOP = "\ue000", "\ue001"
HIGHLIGHT_MARKS = (START, STOP)
EXCERPT_CHARS = 240
MAX_RESULTS = 50
MAX_WORDS = 8


@dataclass
class Hit:
    article: object
    title: SafeString
    excerpt: SafeString
    rank: float


def words(query: str) -> list[str]:
    """The words of a query, at most ``MAX_WORDS`` (a query is no essay)."""
    found = re.findall(r"\w[\w§.-]*", query or "")
    return [word for word in found if len(word) > 1 or word == "§"][:MAX_WORDS]


def marked(text: str) -> SafeString:
    """Escape ``text``, then turn the hit marks into ``<mark>`` (never the other way)."""
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped on the line above


def search(articles: QuerySet, query: str) -> list[Hit]:
    """The articles of ``articles`` that match ``query``, best first."""
    if not words(query):
        return []
    if connection.vendor == "postgresql":
        return _postgres(articles, query)
    return _fallback(articles, words(query))


def _postgres(articles: QuerySet, query: str) -> list[Hit]:
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVector,
    )

    vector = (
        SearchVector("title", weight="A", config="german")
        + SearchVector("paragraph", "statute", weight="A", config="german")
        + SearchVector("body", weight="B", config="german")
    )
    # websearch: what people type (words, "a phrase", -not) never raises a syntax error.
    search_query = SearchQuery(query, config="german", search_type="websearch")
    highlight = {"config": "german", "start_sel": START, "stop_sel": STOP}
    found = (
        articles.annotate(document=vector, rank=SearchRank(vector, search_query))
        .filter(document=search_query)
        .annotate(
            title_marked=SearchHeadline("title", search_query, highlight_all=True, **highlight),
            excerpt_marked=SearchHeadline(
                "body", search_query, max_words=35, min_words=15, max_fragments=2, **highlight
            ),
        )
        .order_by("-rank", "title", "pk")[:MAX_RESULTS]
    )
    return [
        Hit(article, marked(article.title_marked), marked(article.excerpt_marked), article.rank)
        for article in found
    ]


def _fallback(articles: QuerySet, terms: list[str]) -> list[Hit]:
    matches = Q()
    title_hits = Value(0)
    for term in terms:
        matches &= (
            Q(title__icontains=term)
            | Q(body__icontains=term)
            | Q(paragraph__icontains=term)
            | Q(statute__icontains=term)
        )
        title_hits = title_hits + Case(
            When(title__icontains=term, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    found = (
        articles.filter(matches)
        .annotate(title_hits=title_hits)
        .order_by("-title_hits", "title", "pk")[:MAX_RESULTS]
    )
    return [
        Hit(
            article,
            marked(_mark(article.title, terms)),
            marked(_mark(_excerpt(article.body, terms), terms)),
            float(article.title_hits),
        )
        for article in found
    ]


def _pattern(terms: list[str]) -> re.Pattern:
    return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)


def _mark(text: str, terms: list[str]) -> str:
    return _pattern(terms).sub(lambda hit: f"{START}{hit.group(0)}{STOP}", text)


def _excerpt(body: str, terms: list[str]) -> str:
    """About ``EXCERPT_CHARS`` of the text around the first hit, cut at spaces."""
    hit = _pattern(terms).search(body)
    start = max(0, (hit.start() if hit else 0) - EXCERPT_CHARS // 3)
    if start:
        start = body.find(" ", start) + 1 or start
    end = start + EXCERPT_CHARS
    if end < len(body):
        end = body.rfind(" ", start, end) if body.rfind(" ", start, end) > start else end
    excerpt = " ".join(body[start:end].split())
    return ("… " if start else "") + excerpt + (" …" if end < len(body) else "")
