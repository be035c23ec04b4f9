"""What the knowledge base adds to other apps' pages (registered in ``apps.py``):
the articles of a case's type on the case page and at the workstation, and the
articles past their review date on the staff start page."""

from django.template.loader import render_to_string

from willkommen.core import clock
from willkommen.knowledge import selectors

PANEL_LIMIT = 8


def _articles(request, articles, heading_id):
    shown = list(articles.select_related("owner")[: PANEL_LIMIT + 1])
    if not shown:
        return ""
    return render_to_string(
        "knowledge/_panel_articles.html",
        {
            "articles": shown[:PANEL_LIMIT],
            "more": len(shown) > PANEL_LIMIT,
            "heading_id": heading_id,
        },
        request=request,
    )


def for_case(request, case):
    return _articles(request, selectors.articles_for_case_type(case.case_type), "knowledge-case")


def for_visit(request, visit):
    return _articles(
        request, selectors.articles_for_service(visit.service), f"knowledge-visit-{visit.pk}"
    )


def review_due(request, user):
    due = selectors.review_due(user, clock.office_today())
    if not due.mine and not due.others:
        return ""
    return render_to_string("knowledge/_panel_review_due.html", {"due": due}, request=request)
