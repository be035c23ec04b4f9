"""Demo articles for the knowledge base, written through its services.

The legal bases name real paragraphs (AufenthG, AufenthV) by number and title; their
texts are short summaries written for this demo, each marked as demo content. One
article is past its review date and one has a second version, so the start page's
flag and the diff have something to show.
"""

import json
from datetime import timedelta
from pathlib import Path

from django.db import transaction

from willkommen.accounts.models import User
from willkommen.cases.models import CaseType
from willkommen.catalog.models import ChecklistItem, Service
from willkommen.core import clock
from willkommen.knowledge import services
from willkommen.knowledge.models import Article, ArticleAction

ARTICLES_FILE = Path(__file__).parent / "data" / "knowledge_articles.json"
DEMO_OWNER = "teamleitung"  # the demo team lead (accounts.services.DEMO_STAFF)
SECOND_VERSION = (
    "\nStand der Demo: Die Bescheinigung wird auch bei einem Antrag über das Online-Formular "
    "ausgestellt, sobald der Eingang bestätigt ist."
)


def load(path: Path = ARTICLES_FILE) -> str:
    if Article.objects.filter(is_demo=True).exists():
        return "demo articles exist already; nothing changed"
    owner = User.objects.filter(username=DEMO_OWNER).first()
    if owner is None:
        return f"no user {DEMO_OWNER!r} (run create_demo_staff first); nothing loaded"
    today = clock.office_today()
    made = 0
    with transaction.atomic():
        for entry in json.loads(path.read_text(encoding="utf-8"))["articles"]:
            content = services.ArticleContent(
                kind=entry["kind"],
                title=entry["title"],
                body=entry["body"],
                owner=owner,
                review_on=today + timedelta(days=entry["review_in_days"]),
                statute=entry["statute"],
                paragraph=entry["paragraph"],
                link=entry["link"],
                services=list(Service.objects.filter(slug__in=entry["services"])),
                case_types=list(CaseType.objects.filter(service__slug__in=entry["case_types"])),
                checklist_items=list(
                    ChecklistItem.objects.filter(service__slug=entry.get("checklist_of", ""))
                ),
            )
            article = services.create_article(content, actor=owner, is_demo=True)
            if entry["paragraph"] == "§ 81 Abs. 4":
                content.body += SECOND_VERSION
                article = services.edit_article(
                    article, content, actor=owner, expected_version=1, note="Online-Antrag ergänzt"
                )
            services.move_article(article, ArticleAction.PUBLISH, actor=owner)
            made += 1
    return f"{made} demo articles published"
