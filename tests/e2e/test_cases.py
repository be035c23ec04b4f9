"""The case file end to end: employer applies (§ 81a), clerk completes, applicant follows."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.cases.factories import pdf_bytes
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_staff import log_in
from willkommen.accounts.models import Team
from willkommen.accounts.roles import Role
from willkommen.cases.models import Case
from willkommen.core.models import OutboxMail

pytestmark = pytest.mark.django_db(transaction=True)

CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


@pytest.fixture
def office(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo_catalog", verbosity=0)
    call_command("load_demo_cases", verbosity=0)  # with closed history, so forecasts exist
    return UserFactory(
        username="samir",
        first_name="Samir",
        roles=[Role.CLERK],
        member_of=[Team.objects.get(slug="fachkraefte")],
    )


def test_employer_applies_clerk_completes_applicant_follows(
    live_server, new_page, office, tmp_path
):
    document = tmp_path / "nachweis.pdf"
    document.write_bytes(pdf_bytes())

    # 1. The employer fills in the § 81a form with the required documents.
    employer = new_page()
    employer.goto(f"{live_server.url}/de/apply/skilled-worker/")
    expect(employer.get_by_role("heading", level=1)).to_contain_text("81a")
    assert_accessible(employer, "(81a form)")
    employer.get_by_label("Arbeitgeber (Firmenname)", exact=True).fill("Muster GmbH")
    employer.get_by_label("Ansprechperson", exact=True).fill("Eva Muster")
    employer.get_by_label("E-Mail der Ansprechperson", exact=True).fill("hr@muster.example")
    employer.get_by_label("Anschrift des Arbeitgebers", exact=True).fill(
        "Hauptstraße 1, 91052 Erlangen"
    )
    employer.get_by_label("Vornamen der Fachkraft", exact=True).fill("Rahul")
    employer.get_by_label("Familienname der Fachkraft", exact=True).fill("Sharma")
    employer.get_by_label("Geburtsdatum der Fachkraft", exact=True).fill("1994-05-01")
    employer.get_by_label("Staatsangehörigkeit der Fachkraft", exact=True).fill("indisch")
    employer.get_by_label("Berufsbezeichnung", exact=True).fill("Elektroniker")
    employer.get_by_label("Qualifikation der Fachkraft", exact=True).fill("Ausbildung Elektronik")
    employer.get_by_label("Arbeitsort", exact=True).fill("Erlangen")
    employer.get_by_label("Bruttojahresgehalt in Euro", exact=True).fill("52000")
    employer.get_by_label("Wochenstunden", exact=True).fill("40")
    for upload in employer.locator("input[type=file][required]").all():
        upload.set_input_files(str(document))
    employer.get_by_label("Ich bin einverstanden").check()
    employer.get_by_role("button", name="Antrag absenden").click()
    expect(employer.get_by_role("heading", level=1)).to_have_text("Vielen Dank")
    reference = employer.locator("#reference").inner_text()
    assert re.fullmatch(r"ABH-\d{4}-\d{6}", reference)
    assert_accessible(employer, "(submitted)")
    case = Case.objects.get(reference=reference)
    assert OutboxMail.objects.filter(dedupe_key=f"case:{case.pk}:confirmation").exists()

    # 2. The clerk finds it in the team inbox and marks it complete.
    clerk = new_page()
    log_in(clerk, live_server.url, "samir")
    clerk.get_by_role("link", name=re.compile("^Vorgänge")).click()
    assert_accessible(clerk, "(case list)")
    clerk.get_by_role("link", name="Team-Eingang").click()
    clerk.get_by_role("link", name=reference).click()
    expect(clerk.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(clerk.locator("#completeness")).to_contain_text("Alle erforderlichen Unterlagen")
    assert_accessible(clerk, "(case detail)")
    clerk.get_by_role("button", name="Vorgang übernehmen").click()
    clerk.get_by_label("Neuer Status").select_option(
        label="Vollständig – Eingangsbestätigung versandt"
    )
    clerk.get_by_role("button", name="Status setzen").click()
    expect(clerk.locator("#current-status")).to_contain_text("Vollständig")

    # 3. The receipt is in the outbox, with the PDF; the confirmation's access code stays valid.
    receipt = OutboxMail.objects.get(dedupe_key=f"case:{case.pk}:receipt")
    assert receipt.to == "hr@muster.example"
    assert receipt.attachments.get().content[:5] == b"%PDF-"
    assert not CODE.findall(receipt.body)
    confirmation = OutboxMail.objects.get(dedupe_key=f"case:{case.pk}:confirmation")
    code = CODE.findall(confirmation.body)[-1]

    # 4. The applicant (here the employer) opens the status page with reference and code.
    applicant = new_page()
    applicant.goto(f"{live_server.url}/de/status/")
    assert_accessible(applicant, "(status lookup)")
    applicant.get_by_label("Aktenzeichen").fill(reference)
    applicant.get_by_label("Zugangscode").fill("WRONG-CODE")
    applicant.get_by_role("button", name="Status anzeigen").click()
    expect(applicant.get_by_role("alert").first).to_contain_text("Wir konnten keinen Vorgang")
    applicant.get_by_label("Zugangscode").fill(code.lower())
    applicant.get_by_role("button", name="Status anzeigen").click()
    expect(applicant.locator("#timeline li")).to_have_count(2)
    expect(applicant.locator("#timeline")).to_contain_text("Ihr Antrag ist vollständig")
    expect(applicant.locator("#forecast")).to_contain_text(re.compile(r"\d+ bis \d+ Wochen"))
    assert_accessible(applicant, "(status page)")


def test_contact_form_in_english(live_server, new_page, office):
    page = new_page(locale="en-GB")
    page.goto(f"{live_server.url}/en/contact/")
    assert_accessible(page, "(contact form)")
    page.get_by_label("Topic").select_option(label="Naturalisation")
    page.get_by_label("Your name").fill("Olena Kovalenko")
    page.get_by_label("Your e-mail").fill("olena@example.org")
    page.get_by_label("Your message").fill("When can I submit my documents?")
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Send message").click()
    expect(page.locator("#reference")).to_contain_text("KON-")
    assert_accessible(page, "(contact sent)")


def test_naturalisation_form_is_accessible(live_server, new_page, office):
    page = new_page()
    page.goto(f"{live_server.url}/de/apply/naturalisation/")
    page.get_by_role("button", name="Antrag absenden").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, "(naturalisation form with errors)")


def test_clerk_opens_a_case_at_the_counter_and_reads_messages(
    live_server, new_page, office, tmp_path
):
    document = tmp_path / "pass.pdf"
    document.write_bytes(pdf_bytes())
    from willkommen.cases.models import ContactTopic
    from willkommen.cases.services import submit_contact_request

    submit_contact_request(
        topic=ContactTopic.objects.get(slug="arbeit"), name="Ana Silva", email="ana@example.org",
        message="Wann kann ich meine Karte abholen?", case_reference="", language="de",
    )  # fmt: skip
    clerk = new_page()
    log_in(clerk, live_server.url, "samir")
    clerk.goto(f"{live_server.url}/de/staff/cases/new/")
    assert_accessible(clerk, "(open a case)")
    clerk.get_by_label("Anliegen").select_option(label="Blaue Karte EU – erteilen oder verlängern")
    clerk.get_by_label("Vornamen", exact=True).fill("Chen")
    clerk.get_by_label("Familienname", exact=True).fill("Wang")
    clerk.get_by_label("Geburtsdatum", exact=True).fill("1991-07-07")
    clerk.get_by_label("Staatsangehörigkeit", exact=True).fill("chinesisch")
    clerk.get_by_label("Aktueller Aufenthaltstitel gültig bis").fill("2027-01-15")
    clerk.get_by_label("Dringlichkeit").select_option("high")
    clerk.get_by_role("button", name="Vorgang eröffnen").click()
    expect(clerk.locator("#access-code")).to_have_text(CODE)
    assert_accessible(clerk, "(case opened)")
    reference = clerk.locator("#reference").inner_text()
    code = clerk.locator("#access-code").inner_text()

    # The applicant, with the code on paper, uploads a missing document from home.
    applicant = new_page()
    applicant.goto(f"{live_server.url}/de/status/")
    applicant.get_by_label("Aktenzeichen").fill(reference)
    applicant.get_by_label("Zugangscode").fill(code)
    applicant.get_by_role("button", name="Status anzeigen").click()
    missing_before = applicant.locator("#missing li").count()
    assert missing_before > 0
    applicant.get_by_label("Datei").set_input_files(str(document))
    applicant.get_by_role("button", name="Unterlage hochladen").click()
    expect(applicant.get_by_role("status").first).to_contain_text("Vielen Dank")
    expect(applicant.locator("#missing li")).to_have_count(missing_before - 1)
    assert_accessible(applicant, "(status page after upload)")
    clerk.get_by_role("link", name="Akte öffnen").click()
    clerk.get_by_text("Familienangehörige hinzufügen").click()
    assert_accessible(clerk, "(case detail, family form open)")
    clerk.goto(f"{live_server.url}/de/staff/messages/")
    expect(clerk.get_by_role("article")).to_contain_text("Ana Silva")
    assert_accessible(clerk, "(messages)")
    clerk.get_by_role("button", name="Als beantwortet markieren").click()
    expect(clerk.get_by_role("article")).to_have_count(0)


def test_admin_edits_a_case_type(live_server, new_page, office):
    UserFactory(username="ada", roles=[Role.ADMIN], is_staff=True)
    admin = new_page()
    log_in(admin, live_server.url, "ada")
    admin.goto(f"{live_server.url}/admin/cases/casetype/")
    admin.get_by_role("link", name="Beschleunigtes Fachkräfteverfahren (für Arbeitgeber)").click()
    expect(admin.locator("body")).to_contain_text("Vorabzustimmung erteilt")
    assert_accessible(admin, "(case type in the admin)")


def test_status_page_in_english(live_server, new_page, office):
    from willkommen.cases.services import open_case
    from willkommen.catalog.models import Service

    opened = open_case(
        service=Service.objects.get(slug="familiennachzug"),
        applicant={"given_name": "Mariam", "family_name": "Nasser"},
        contact_email="mariam@example.org",
        language="en",
    )
    page = new_page(locale="en-GB")
    page.goto(f"{live_server.url}/en/status/")
    page.get_by_label("Reference").fill(opened.case.reference)
    page.get_by_label("Access code").fill(opened.access_code)
    page.get_by_role("button", name="Show status").click()
    expect(page.locator("#current-text")).to_contain_text("We have received your application")
    expect(page.locator("#forecast")).to_contain_text("weeks")
    expect(page.locator("#missing li").first).to_be_visible()
    assert_accessible(page, "(status page, English)")
