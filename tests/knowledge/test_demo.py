"""The demo articles: loaded through the services, linked to the demo services, once."""

import json

import pytest
from django.core.management import call_command

from willkommen.cases.casetypes import load_case_types_file
from willkommen.catalog.models import Service
from willkommen.core import clock
from willkommen.demo.knowledge import ARTICLES_FILE
from willkommen.knowledge import selectors
from willkommen.knowledge.models import Article, ArticleStatus

pytestmark = pytest.mark.django_db


def test_demo_articles_are_published_linked_and_loaded_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for command in ("load_demo_catalog", "create_demo_staff"):
        call_command(command, verbosity=0)
    load_case_types_file()
    entries = json.loads(ARTICLES_FILE.read_text(encoding="utf-8"))["articles"]
    slugs = {slug for entry in entries for slug in entry["services"] + entry["case_types"]}
    assert slugs <= set(Service.objects.values_list("slug", flat=True))

    call_command("load_demo_knowledge", verbosity=0)
    articles = Article.objects.all()
    assert articles.count() == len(entries) >= 10
    assert all(a.is_demo and a.status == ArticleStatus.PUBLISHED for a in articles)
    assert all(a.body.startswith("Demo-Inhalt") for a in articles)
    assert Article.objects.review_due(clock.office_today()).count() == 1
    assert Article.objects.get(paragraph="§ 81 Abs. 4").versions.count() == 2
    extend = Service.objects.get(slug="aufenthaltserlaubnis-verlaengern")
    titles = set(selectors.articles_for_case_type(extend.case_type).values_list("title", flat=True))
    assert "Verlängerung der Aufenthaltserlaubnis" in titles
    assert Article.objects.get(kind="process_guide").checklist_items.exists()

    call_command("load_demo_knowledge", verbosity=0)
    assert Article.objects.count() == len(entries)
