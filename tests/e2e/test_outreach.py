"""In the browser: invitation link → online extension → receipt → verification page."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.cases.factories import pdf_bytes
from tests.e2e.conftest import assert_accessible
from willkommen.cases import services as case_services
from willkommen.catalog.models import Service
from willkommen.core import clock
from willkommen.outreach import services
from willkommen.outreach.models import ExtensionApplication, Invitation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo_catalog", verbosity=0)
    call_command("load_demo_cases", verbosity=0)


TEXTS = {  # heading of the receipt page, the legal effect, the verification's verdict
    "de": (
        "Ihr Antrag ist eingegangen",
        "§ 81 Abs. 4 AufenthG",
        "Diese Eingangsbestätigung ist gültig.",
    ),
    "uk": ("Вашу заяву отримано", "§ 81 (4) AufenthG", "Це підтвердження дійсне."),
}


@pytest.mark.parametrize("language", ["de", "uk"])
def test_from_the_invitation_to_the_verified_receipt(
    live_server, page, catalogue, tmp_path, language
):
    opened = case_services.open_case(
        service=Service.objects.get(slug="aufenthaltserlaubnis-studium"),
        applicant={"given_name": "Olena", "family_name": "Kovalenko", "nationality": "ukr."},
        permit_expires_on=clock.office_today() + timedelta(days=50),
        contact_email="olena@example.org",
        language=language,
        send_confirmation=False,
    )
    services.send_due_invitations()  # the demo's open cases are invited too
    body = Invitation.objects.get(case=opened.case).mail.body
    path = re.search(rf"https?://[^/\s]+(/{language}/extension/\S+/)", body).group(1)
    received, effect, valid = TEXTS[language]

    page.goto(live_server.url + path)
    expect(page.locator("input[name=given_name]")).to_have_value("Olena")
    expect(page.locator("#booking-link")).to_have_attribute("href", re.compile(r"\?service=\d+"))
    assert_accessible(page, f"(extension form, {language})")
    document = tmp_path / "nachweis.pdf"
    document.write_bytes(pdf_bytes())
    page.locator("input[name=date_of_birth]").fill("1990-05-17")
    for upload in page.locator("input[type=file][required]").all():
        upload.set_input_files(str(document))
    page.locator("input[name=consent]").check()
    page.locator("form.form-sections button[type=submit]").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(received)
    expect(page.locator("#effect")).to_contain_text(effect)
    application = ExtensionApplication.objects.get()
    expect(page.locator("#verification-code")).to_have_text(application.verification_code)
    assert_accessible(page, f"(receipt, {language})")

    page.locator("#verify-link").click()
    expect(page.locator(".kern-alert")).to_contain_text(valid)
    expect(page.locator("#verified-initials")).to_have_text("O. K.")
    assert "Kovalenko" not in page.content()
    assert_accessible(page, f"(verification, {language})")


def test_a_team_lead_pauses_invitations_in_the_register(live_server, page, catalogue):
    from tests.accounts.factories import UserFactory
    from tests.e2e.test_staff import log_in
    from willkommen.accounts.roles import Role

    opened = case_services.open_case(
        service=Service.objects.get(slug="aufenthaltserlaubnis-studium"),
        applicant={"given_name": "Mehmet", "family_name": "Yılmaz", "nationality": "türk."},
        permit_expires_on=clock.office_today() + timedelta(days=20),
        permit_type="§ 16b AufenthG",
        contact_email="mehmet@example.org",
        send_confirmation=False,
    )
    case = opened.case
    UserFactory(username="lea", roles=[Role.TEAM_LEAD], member_of=[case.team])
    log_in(page, live_server.url, "lea")
    page.get_by_role("link", name="Ablaufregister", exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ablaufregister")
    row = page.locator("#register-table tr", has_text=case.reference)
    expect(row).to_contain_text("noch nicht eingeladen")
    assert_accessible(page, "(expiry register)")
    row.get_by_label("Grund für die Pause").fill("Klage anhängig")
    row.get_by_role("button", name="Einladungen pausieren").click()
    expect(page.locator(f"#pause-{case.reference}")).to_have_text("pausiert: Klage anhängig")
    assert_accessible(page, "(expiry register, paused)")
    assert services.send_due_invitations() >= 0
    assert not Invitation.objects.filter(case=case).exists()
