"""What the knowledge base shows on other apps' pages, through core's panel registry."""

import pytest

from tests.cases.factories import make_case_type, open_case, staff
from tests.frontdesk.factories import build_office, clerk_at, walk_in
from tests.knowledge.factories import PAST, article, editor, reader
from willkommen.core import panels
from willkommen.frontdesk import services as frontdesk

pytestmark = pytest.mark.django_db


def test_the_case_page_shows_the_published_articles_of_its_type(client):
    case_type = make_case_type()
    other = make_case_type()
    author = editor()
    article(author, title="Für die Vorgangsart", case_types=[case_type])
    article(author, title="Für die Dienstleistung", services=[case_type.service])
    article(author, title="Entwurf dazu", case_types=[case_type], publish=False)
    article(author, title="Andere Vorgangsart", case_types=[other])
    case = open_case(case_type).case
    client.force_login(staff(case.team))
    page = client.get(f"/de/staff/cases/{case.reference}/").content.decode()
    assert "Für die Vorgangsart" in page and "Für die Dienstleistung" in page
    assert "Entwurf dazu" not in page and "Andere Vorgangsart" not in page
    assert 'aria-labelledby="knowledge-case"' in page


def test_a_case_without_articles_shows_no_panel(client):
    case = open_case(make_case_type()).case
    client.force_login(staff(case.team))
    page = client.get(f"/de/staff/cases/{case.reference}/").content.decode()
    assert "knowledge-case" not in page


def test_the_workstation_shows_the_articles_of_the_visitors_service(client):
    office = build_office()
    article(title="Verlängerung: was prüfen", services=[office["extend"]])
    article(title="Blaue Karte: was prüfen", services=[office["blue_card"]])
    clerk = clerk_at(office["family_counter"])
    walk_in(office["location"], office["extend"])
    frontdesk.call_next(user=clerk)
    client.force_login(clerk)
    page = client.get("/de/staff/frontdesk/clerk/").content.decode()
    assert "Verlängerung: was prüfen" in page
    assert "Blaue Karte: was prüfen" not in page


def test_the_start_page_flags_overdue_articles_to_owner_and_team_lead(client):
    owner, lead = editor(username="owner"), editor(username="lead")
    article(owner, title="Überfällig", review_on=PAST)
    article(owner, title="Archiviert überfällig", review_on=PAST, publish=False)
    from willkommen.knowledge import services
    from willkommen.knowledge.models import Article, ArticleAction

    services.move_article(
        Article.objects.get(title="Archiviert überfällig"), ArticleAction.ARCHIVE, actor=owner
    )
    article(owner, title="Noch aktuell")
    client.force_login(owner)
    page = client.get("/de/staff/").content.decode()
    assert 'id="review-due-mine"' in page and "Überfällig" in page
    assert "Archiviert überfällig" not in page and "Noch aktuell" not in page
    client.force_login(lead)
    page = client.get("/de/staff/").content.decode()
    assert 'id="review-due-others"' in page and "Überfällig" in page
    client.force_login(reader())
    assert "Überfällig" not in client.get("/de/staff/").content.decode()


def test_an_unknown_place_is_refused_and_a_plain_string_is_escaped(rf):
    with pytest.raises(ValueError):
        panels.register("nowhere", "x", lambda request, subject: "")
    panels.register("staff_home", "test-plain", lambda request, subject: "<b>plain</b>")
    try:
        html = panels.render_place("staff_home", rf.get("/"), reader())
        assert html == "&lt;b&gt;plain&lt;/b&gt;"  # the knowledge panel has nothing to show
    finally:
        panels._panels["staff_home"].pop("test-plain")
