"""Complaints in the browser: the public form (German, Arabic right to left) and a team lead
answering a complaint about another team from a template. axe-core on every page."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import TeamFactory, UserFactory
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_staff import log_in
from willkommen.accounts.roles import Role
from willkommen.complaints import services
from willkommen.complaints.email_import import ImportedMail
from willkommen.complaints.models import AnswerTemplate, Complaint, Status
from willkommen.core import clock
from willkommen.core.models import OutboxMail

pytestmark = pytest.mark.django_db(transaction=True)

# The labels of the public form, as each language shows them.
FORM_TEXT = {
    "de": {
        "category": "Wartezeit",
        "message": "Ihre Nachricht",
        "email": "Ihre E-Mail-Adresse",
        "send": "Nachricht senden",
        "thanks": "Vielen Dank",
    },
    "ar": {
        "category": "وقت الانتظار",
        "message": "رسالتك",
        "email": "بريدك الإلكتروني",
        "send": "إرسال الرسالة",
        "thanks": "شكرًا لك",
    },
}


@pytest.mark.parametrize("language", ["de", "ar"])
def test_the_public_form_gives_a_reference(live_server, new_page, language):
    text = FORM_TEXT[language]
    page = new_page(locale="ar-EG" if language == "ar" else "de-DE")
    page.goto(f"{live_server.url}/{language}/beschwerde/")
    if language == "ar":
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_role("button", name=text["send"]).click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, f"(complaint form with errors, {language})")
    assert not Complaint.objects.exists()
    page.get_by_label(text["category"]).check()
    page.get_by_label(text["message"]).fill("Drei Stunden gewartet, trotz Termin.")
    page.get_by_label(text["email"]).fill("person@example.org")
    page.locator("input[name=consent]").check()
    assert_accessible(page, f"(complaint form filled in, {language})")
    page.get_by_role("button", name=text["send"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["thanks"])
    complaint = Complaint.objects.get()
    expect(page.locator("#reference")).to_have_text(complaint.reference)
    assert complaint.language == language and complaint.status == Status.ACKNOWLEDGED
    assert OutboxMail.objects.get().language == language
    if language == "ar":
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        # The reference is Latin letters and digits: it reads left to right inside the RTL page.
        expect(page.locator("#reference")).to_have_attribute("dir", "ltr")
    assert_accessible(page, f"(complaint received, {language})")


def _mail(days_ago: int, text: str) -> ImportedMail:
    return ImportedMail(
        name="Olena Koval", email="olena@example.org", subject="Beschwerde", text=text,
        sent_at=clock.now() - timedelta(days=days_ago), language="en", attachments=0,
    )  # fmt: skip


@pytest.fixture
def complaints(transactional_db):
    """A team lead of "Arbeit" and three complaints about "Familie": overdue, interim
    reply due, fresh; and one about "Arbeit" that she must not see."""
    work, family = TeamFactory(name="Arbeit"), TeamFactory(name="Familie")
    UserFactory(
        username="lea", first_name="Lea", last_name="Lind", roles=[Role.TEAM_LEAD], member_of=[work]
    )
    AnswerTemplate.objects.create(
        title="Entschuldigung Wartezeit",
        subject={"de": "Ihre Beschwerde {reference}", "en": "Your complaint {reference}"},
        body={"de": "Guten Tag {name}, es tut uns leid.", "en": "Dear {name}, we are sorry."},
    )
    made = {}
    for key, days, team in [("overdue", 20, family), ("interim", 12, family),
                            ("fresh", 1, family), ("own", 1, work)]:  # fmt: skip
        made[key] = services.import_email(
            _mail(days, f"Complaint {key}"), actor=None, category="waiting_time", team=team
        )
    return made


def test_a_team_lead_answers_a_complaint_about_another_team(live_server, page, complaints):
    log_in(page, live_server.url, "lea")
    page.get_by_role("link", name="Beschwerden", exact=True).click()
    table = page.locator("#complaint-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table).not_to_contain_text(complaints["own"].reference)
    overdue_row = table.locator("tr", has_text=complaints["overdue"].reference)
    expect(overdue_row).to_contain_text("überfällig")
    expect(table.locator("tr", has_text=complaints["interim"].reference)).to_contain_text(
        "Zwischennachricht fällig"
    )
    expect(table.locator("tr", has_text=complaints["fresh"].reference)).not_to_contain_text(
        "fällig"
    )
    assert_accessible(page, "(complaint list with deadline flags)")

    page.get_by_label("Frist").select_option("overdue")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(table.locator("tbody tr")).to_have_count(1)
    assert_accessible(page, "(complaint list, overdue only)")

    page.get_by_role("link", name=complaints["overdue"].reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(complaints["overdue"].reference)
    expect(page.locator("#current-status")).to_contain_text("überfällig")
    expect(page.locator("#reads")).to_contain_text("Lea Lind")
    assert_accessible(page, "(complaint detail)")

    page.get_by_label("Vorlage").select_option(label="Entschuldigung Wartezeit")
    page.get_by_role("button", name="Schreiben vorbereiten").click()
    # The person wrote in English: the template's English text, filled in.
    expect(page.get_by_label("Text")).to_have_value("Dear Olena Koval, we are sorry.")
    assert_accessible(page, "(answer prepared from a template)")
    page.get_by_label("Text").fill("Dear Olena Koval, we are sorry for the long wait.")
    page.get_by_role("button", name="Senden", exact=True).click()
    expect(page.locator("#current-status")).to_contain_text("beantwortet")
    expect(page.locator("#current-status")).not_to_contain_text("überfällig")
    expect(page.get_by_role("heading", name="Der Person schreiben")).to_have_count(0)
    assert_accessible(page, "(complaint answered)")

    complaint = Complaint.objects.get(pk=complaints["overdue"].pk)
    assert complaint.status == Status.ANSWERED and complaint.answered_at is not None
    answer = complaint.letters.get(kind="answer")
    assert answer.language == "en" and answer.body.endswith("for the long wait.")
    assert OutboxMail.objects.filter(to="olena@example.org", body=answer.body).count() == 1
    assert complaint.reads.filter(user__username="lea").exists()
