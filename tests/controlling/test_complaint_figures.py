"""Complaints on the KPI dashboard and in the council report, with the suppression rule."""

import re
from html import unescape

import pytest

from tests.accounts.factories import TeamFactory, UserFactory
from willkommen.accounts.roles import Role
from willkommen.complaints import services
from willkommen.complaints.models import AnswerTemplate
from willkommen.complaints.services import Links
from willkommen.controlling import kpis, reports
from willkommen.controlling.periods import Period
from willkommen.core import clock, disclosure

pytestmark = pytest.mark.django_db

DASHBOARD = "/de/staff/controlling/"


def make(team, category, count, *, answer=False):
    template = AnswerTemplate.objects.get_or_create(
        title="Antwort", defaults={"subject": {"de": "Antwort"}, "body": {"de": "Danke."}}
    )[0]
    for _n in range(count):
        complaint = services.record_for_caller(
            actor=None, category=category, message="m", language="de", links=Links(),
            team=team, email="person@example.org",
        )  # fmt: skip
        if answer:
            services.reply(complaint, template=template, actor=None, subject="A", body="B")


@pytest.fixture
def complaints(client):
    client.force_login(UserFactory(roles=[Role.CONTROLLER]))
    work, family = TeamFactory(name="Arbeit"), TeamFactory(name="Familie")
    make(work, "waiting_time", 6, answer=True)
    make(family, "waiting_time", 2)
    make(family, "praise", 7)
    return work, family


def today():
    return {"kind": "day", "on": clock.office_today().isoformat()}


def table(page, title):
    start = page.index(f'<caption class="kern-title">{title}</caption>')
    return page[start : page.index("</table>", start)]


def cells(html):
    """The rows of a table as lists of the texts of their cells."""
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S)
    ]


def test_the_dashboard_shows_complaints_by_category_and_team(client, complaints):
    page = client.get(DASHBOARD, today()).content.decode()
    assert 'id="complaints-heading">Beschwerden und Lob</h2>' in page
    rows = {
        row[0]: row[1:] for row in cells(table(page, "Beschwerden und Lob nach Kategorie und Team"))
    }
    assert rows["Kategorie"] == ["Arbeit", "Familie", "Summe"]
    assert rows["Wartezeit"][0] == "6"
    # 2 complaints about "Familie": withheld, and the row and column totals with it would
    # give them away, so further cells are withheld ("x").
    assert rows["Wartezeit"][1] == disclosure.SMALL
    assert disclosure.WITHHELD in rows["Wartezeit"][2] + rows["Summe"][1] + rows["Lob"][1]
    handling = {row[0]: row[1] for row in cells(table(page, "Bearbeitung der Beschwerden"))}
    assert handling["Eingegangene Beschwerden und Lob"] == rows["Summe"][2]
    assert handling["… davon Lob"] == rows["Lob"][2]
    assert handling["… davon beantwortet (erste Antwort, bis heute)"] == "6"
    assert handling["Innerhalb der Frist beantwortet (%)"] == "100,0"
    assert handling["Tage bis zur ersten Antwort, Median"] == "0,0"


def test_fewer_than_five_answers_give_no_share_or_median(client):
    client.force_login(UserFactory(roles=[Role.TEAM_LEAD]))
    make(TeamFactory(name="Arbeit"), "treatment", 3, answer=True)
    page = client.get(DASHBOARD, today()).content.decode()
    handling = {row[0]: row[1] for row in cells(table(page, "Bearbeitung der Beschwerden"))}
    assert handling["Eingegangene Beschwerden und Lob"] == disclosure.SMALL
    assert handling["Innerhalb der Frist beantwortet (%)"] == disclosure.SMALL
    assert handling["Tage bis zur ersten Antwort, Median"] == disclosure.SMALL


def test_the_team_filter_counts_the_complaints_about_that_team(client, complaints):
    work, _family = complaints
    page = client.get(DASHBOARD, {**today(), "team": work.pk}).content.decode()
    rows = {
        row[0]: row[1:] for row in cells(table(page, "Beschwerden und Lob nach Kategorie und Team"))
    }
    assert rows["Kategorie"] == ["Arbeit", "Summe"] and rows["Summe"] == ["6", "6"]


def test_the_council_report_quotes_the_published_cells(client, complaints):
    page = client.get(DASHBOARD + "report/", today()).content.decode()
    handling = {row[0]: row[1] for row in cells(table(page, "Bearbeitung der Beschwerden"))}
    received = handling["Eingegangene Beschwerden und Lob"]
    praise = handling["… davon Lob"]
    assert (received, praise) == ("x", "7")  # the grand total would give the "< 5" away
    assert f"Es gingen {received} Beschwerden und Lobesäußerungen ein, davon {praise} Lob." in page
    assert (
        "100,0 % der beantworteten Beschwerden wurden innerhalb der Frist beantwortet; "
        "die Hälfte innerhalb von 0,0 Tagen." in page
    )
    assert "Beschwerden und Lob nach Kategorie und Team" in page
    assert "Beschwerden und Lob werden am Tag ihres Eingangs gezählt" in page
    response = client.get(DASHBOARD + "report.pdf", today())
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_complaints_alone_are_data_for_the_report(complaints):
    day = clock.office_today()
    report = reports.build(kpis.Scope(period=Period(day, day, "day")))
    assert report.has_data and not report.visits.visits
    assert [t.section for t in reports.tables(report)].count("complaints") == 2
