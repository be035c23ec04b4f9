"""The knowledge base in the browser: a team lead sees the overdue flag, searches, reads
an article with its diff, edits it; a clerk sees the articles on the case page."""

import re
from datetime import date

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.cases.factories import open_case
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_staff import log_in
from tests.frontdesk.factories import build_office, clerk_at, walk_in
from willkommen.accounts.models import Team
from willkommen.accounts.roles import Role
from willkommen.cases.casetypes import load_case_types_file
from willkommen.catalog.models import Service
from willkommen.frontdesk import services as frontdesk
from willkommen.knowledge import services
from willkommen.knowledge.models import Article

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def office(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo_catalog", verbosity=0)
    load_case_types_file()  # the case types only: no closed history needed here
    lead = UserFactory(
        username="teamleitung", first_name="Tanja", last_name="Teamleiterin",
        roles=[Role.TEAM_LEAD], member_of=[Team.objects.get(slug="allgemein")],
    )  # fmt: skip
    call_command("load_demo_knowledge", verbosity=0)
    return lead


def test_team_lead_searches_reads_the_diff_and_edits(live_server, page, office):
    log_in(page, live_server.url, "teamleitung")
    flag = page.locator("#knowledge-review-due")
    expect(flag).to_contain_text("Fiktionswirkung bei rechtzeitigem Antrag")
    assert_accessible(page, "(start page with the review flag)")

    page.get_by_role("link", name=re.compile("^Wissensdatenbank")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wissensdatenbank")
    expect(page.locator("#articles")).to_contain_text("Blaue Karte EU")
    assert_accessible(page, "(article list)")

    page.get_by_role("textbox", name=re.compile("^Suchbegriffe")).fill("Fiktionsbescheinigung")
    page.get_by_role("button", name="Suchen").click()
    hits = page.locator("#hits")
    expect(hits.locator("mark").first).to_be_visible()
    assert_accessible(page, "(search results)")
    hits.get_by_role("link", name=re.compile("Fiktionswirkung")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Fiktionswirkung bei rechtzeitigem Antrag"
    )
    expect(page.locator("#diff-heading")).to_have_text("Änderungen von Version 1 zu Version 2")
    expect(page.locator("#diff ins")).to_contain_text("Online-Formular")
    assert_accessible(page, "(article with diff)")

    page.get_by_role("link", name="Text bearbeiten (neue Version)").click()
    assert_accessible(page, "(edit form)")
    page.get_by_label("Prüfen bis").fill("2030-06-30")
    page.get_by_label("Was wurde geändert").fill("geprüft")
    page.get_by_role("button", name="Als neue Version speichern").click()
    expect(page.get_by_text("Als Version 3 gespeichert.")).to_be_visible()
    expect(page.locator("#diff del")).to_contain_text("Prüfen bis:")
    assert Article.objects.get(paragraph="§ 81 Abs. 4").version == 3


def test_clerk_sees_the_articles_of_the_case_type_on_the_case_page(live_server, page, office):
    service = Service.objects.get(slug="aufenthaltserlaubnis-verlaengern")
    case = open_case(service.case_type).case
    UserFactory(username="samir", roles=[Role.CLERK], member_of=[case.team])
    log_in(page, live_server.url, "samir")
    page.goto(f"{live_server.url}/de/staff/cases/{case.reference}/")
    panel = page.get_by_role("region", name="Wissensdatenbank")
    expect(panel).to_contain_text("Verlängerung der Aufenthaltserlaubnis")
    assert_accessible(page, "(case page with knowledge panel)")
    panel.get_by_role("link", name="Verlängerung der Aufenthaltserlaubnis").click()
    expect(page.locator("#article-body")).to_contain_text("Demo-Inhalt")
    expect(page.get_by_role("link", name="Text bearbeiten (neue Version)")).to_have_count(0)
    assert_accessible(page, "(article for a clerk)")


def test_clerk_sees_the_articles_of_the_visitors_service_at_the_workstation(
    live_server, page, transactional_db
):
    office = build_office()
    lead = UserFactory(username="lead", roles=[Role.TEAM_LEAD])
    made = services.create_article(
        services.ArticleContent(
            kind="process_guide", title="Verlängern: am Schalter prüfen", owner=lead,
            body="Pass und Foto ansehen.", review_on=date(2030, 1, 1),
            services=[office["extend"]],
        ),
        actor=lead,
    )  # fmt: skip
    services.move_article(made, "publish", actor=lead)
    clerk = clerk_at(office["family_counter"], username="samir")
    walk_in(office["location"], office["extend"])
    frontdesk.call_next(user=clerk)
    log_in(page, live_server.url, "samir")
    page.goto(f"{live_server.url}/de/staff/frontdesk/clerk/")
    panel = page.locator(".current-visit").get_by_role("region", name="Wissensdatenbank")
    expect(panel).to_contain_text("Verlängern: am Schalter prüfen")
    assert_accessible(page, "(workstation with knowledge panel)")
