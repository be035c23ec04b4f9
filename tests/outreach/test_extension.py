"""The online extension: the link, the application, its receipt, the verification page."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from tests.outreach.conftest import extension_data
from willkommen.cases.models import Case, Document, Note, Urgency
from willkommen.core import clock
from willkommen.core.models import OutboxMail
from willkommen.outreach import links, services
from willkommen.outreach.models import ExtensionApplication, Invitation
from willkommen.outreach.selectors import extension_service

pytestmark = pytest.mark.django_db


def link_path(case, language="de"):
    return links.extension_url(case, language).removeprefix("http://127.0.0.1:8000")


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # lines wrap anywhere


def test_the_form_is_prefilled_from_the_case(client, make_record):
    case = make_record(days=60)
    page = client.get(link_path(case)).content.decode()
    assert 'value="Amina"' in page and 'value="amina@example.org"' in page
    assert "?service=" in page  # booking with the extension service chosen
    assert "§ 81 Abs. 4 AufenthG" in page


def test_applying_before_expiry_opens_the_case_and_issues_the_receipt(client, make_record):
    case = make_record(days=60)
    response = client.post(link_path(case), extension_data(extension_service()))
    assert response.status_code == 302, response.content.decode()[:2000]
    application = ExtensionApplication.objects.get()
    opened = application.opened_case
    assert application.case == case and application.before_expiry
    assert opened.case_type.service.slug == "aufenthaltserlaubnis-verlaengern"
    assert opened.urgency == Urgency.NORMAL and opened.permit_expires_on == case.permit_expires_on
    assert opened.permit_type == "§ 16b AufenthG"
    assert opened.documents.count() == opened.requirements.filter(required=True).count()
    assert "Schloßplatz 1" in Note.objects.get(case=opened).text
    assert application.initials == "A. H."
    text = pdf_text(bytes(application.receipt_pdf))
    assert "81 Abs. 4 AufenthG" in text and "gilt der Titel daher" in text
    assert application.verification_code in text and opened.reference in text
    mail = application.receipt_mail
    assert mail.to == "amina@example.org" and application.verification_code not in mail.subject
    assert mail.attachments.get().content == application.receipt_pdf
    # the confirmation with the access code for the status page, once
    assert OutboxMail.objects.filter(dedupe_key=f"case:{opened.pk}:confirmation").count() == 1
    receipt = client.get(response["Location"]).content.decode()
    assert application.verification_code in receipt and "bis zur Entscheidung" in receipt
    pdf = client.get("/de/extension/receipt.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == application.receipt_pdf


def test_applying_after_expiry_says_so_and_routes_urgent(client, make_record):
    case = make_record(days=-3)
    response = client.post(link_path(case), extension_data(extension_service()))
    assert response.status_code == 302, response.content.decode()[:2000]
    application = ExtensionApplication.objects.get()
    assert not application.before_expiry
    assert application.opened_case.urgency == Urgency.CRITICAL
    text = pdf_text(bytes(application.receipt_pdf))
    assert "nach Ablauf" in text and "findet keine Anwendung" in text
    assert "findet keine Anwendung" in application.receipt_mail.body


def test_the_receipt_is_in_the_applicants_language(client, make_record):
    case = make_record(days=30, language="fr")
    response = client.post(link_path(case, "fr"), extension_data(extension_service()))
    assert response.status_code == 302
    application = ExtensionApplication.objects.get()
    assert application.opened_case.language == "fr"
    assert "reste donc valable" in pdf_text(bytes(application.receipt_pdf))
    assert application.receipt_mail.language == "fr"


def test_a_second_application_for_the_same_permit_is_refused(client, make_record):
    case = make_record(days=60)
    service = extension_service()
    assert client.post(link_path(case), extension_data(service)).status_code == 302
    again = client.post(link_path(case), extension_data(service))
    assert again.status_code == 409
    assert "bereits ein Antrag gestellt" in again.content.decode()
    assert ExtensionApplication.objects.count() == 1
    assert Case.objects.filter(source="outreach-extension").count() == 1
    with pytest.raises(services.AlreadyApplied):
        services.apply_for_extension(case.pk, case.permit_expires_on, _request(service))


def _request(service):
    from tests.cases.factories import pdf_bytes
    from willkommen.cases.uploads import as_checked

    files = [
        (item.pk, as_checked(SimpleUploadedFile("n.pdf", pdf_bytes())))
        for item in service.checklist.filter(required=True, condition__isnull=True)
    ]
    return services.ExtensionRequest(
        applicant={"given_name": "Amina", "family_name": "Haddad"},
        email="amina@example.org",
        address_change="",
        employment_change="",
        files=files,
        language="de",
    )


def test_a_new_permit_allows_a_new_application_and_ends_old_links(client, make_record):
    case = make_record(days=60)
    old_link = link_path(case)
    assert client.post(old_link, extension_data(extension_service())).status_code == 302
    case.permit_expires_on = clock.office_today() + timedelta(days=700)
    case.save()
    assert client.get(old_link).status_code == 400
    assert client.get(link_path(case)).status_code == 200


def test_a_bad_upload_changes_nothing(client, make_record):
    case = make_record(days=60)
    service = extension_service()
    item = service.checklist.filter(required=True, condition__isnull=True).first()
    bad = SimpleUploadedFile("pass.pdf", b"MZ" + b"\x00" * 64)
    response = client.post(link_path(case), extension_data(service, **{f"document_{item.pk}": bad}))
    assert response.status_code == 400
    assert "Nur diese Dateitypen werden angenommen" in response.content.decode()
    assert (
        not ExtensionApplication.objects.exists()
        and not Document.objects.filter(case__source="outreach-extension").exists()
    )
    assert Case.objects.count() == 1 and not OutboxMail.objects.exists()


def test_missing_consent_changes_nothing(client, make_record):
    case = make_record(days=60)
    data = extension_data(extension_service())
    del data["consent"]
    assert client.post(link_path(case), data).status_code == 400
    assert not ExtensionApplication.objects.exists() and Case.objects.count() == 1


@pytest.mark.parametrize("change", ["forged", "truncated", "other_salt"])
def test_forged_links_are_refused(client, make_record, change):
    from django.core import signing

    case = make_record(days=60)
    token = links.make_token(case)
    token = {
        "forged": token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
        "truncated": token[: len(token) // 2],
        "other_salt": signing.dumps({"c": case.pk, "x": str(case.permit_expires_on)}),
    }[change]
    response = client.get(f"/de/extension/{token}/")
    assert response.status_code == 400 and "gilt nicht mehr" in response.content.decode()
    post = client.post(f"/de/extension/{token}/", extension_data(extension_service()))
    assert post.status_code == 400 and not ExtensionApplication.objects.exists()


def test_a_link_expires_four_weeks_after_the_permit(client, make_record):
    case = make_record(days=-28)
    assert client.get(link_path(case)).status_code == 200
    case.permit_expires_on = clock.office_today() - timedelta(days=29)
    case.save()
    response = client.get(link_path(case, "en"))
    assert response.status_code == 400 and "no longer valid" in response.content.decode()


def test_the_invitation_link_leads_to_the_form(client, make_record):
    import re

    make_record(days=80)
    services.send_due_invitations()
    body = Invitation.objects.get().mail.body
    path = re.search(r"http://127\.0\.0\.1:8000(/de/extension/\S+/)", body).group(1)
    assert client.get(path).status_code == 200


def test_verification_shows_only_validity_date_and_initials(client, make_record):
    case = make_record(days=60, date_of_birth=None)
    client.post(link_path(case), extension_data(extension_service()))
    application = ExtensionApplication.objects.get()
    page = client.get(f"/en/extension/verify/{application.verification_code}/")
    text = page.content.decode()
    assert page.status_code == 200 and "This receipt is valid." in text
    assert "A. H." in text
    assert "Haddad" not in text and application.opened_case.reference not in text
    lower = client.get(f"/de/extension/verify/?code={application.verification_code.lower()}")
    assert "Diese Eingangsbestätigung ist gültig." in lower.content.decode()
    unknown = client.get("/de/extension/verify/AAAA-BBBB-CCCC/")
    assert unknown.status_code == 404 and "keine Eingangsbestätigung" in unknown.content.decode()


def test_verification_is_rate_limited(client, settings):
    settings.OUTREACH_VERIFICATIONS_PER_ADDRESS_PER_HOUR = 3
    for _ in range(3):
        assert client.get("/de/extension/verify/AAAA-BBBB-CCCC/").status_code == 404
    assert client.get("/de/extension/verify/AAAA-BBBB-CCCC/").status_code == 429


def test_the_extension_form_is_rate_limited(client, make_record, settings):
    settings.PUBLIC_FORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 2
    case = make_record(days=60)
    for _ in range(2):
        assert client.post(link_path(case), {}).status_code == 400
    assert client.post(link_path(case), {}).status_code == 429


def test_the_status_page_shows_the_receipt(client, make_record):
    import re

    case = make_record(days=60)
    client.post(link_path(case), extension_data(extension_service()))
    application = ExtensionApplication.objects.get()
    opened = application.opened_case
    assert client.get(f"/de/status/{opened.reference}/extension-receipt.pdf").status_code == 302
    confirmation = OutboxMail.objects.get(dedupe_key=f"case:{opened.pk}:confirmation")
    code = re.search(r"Zugangscode: (\S+)", confirmation.body).group(1)
    unlocked = client.post("/de/status/", {"reference": opened.reference, "code": code})
    assert unlocked.status_code == 302
    page = client.get(unlocked["Location"]).content.decode()
    assert 'id="extension-receipt"' in page and application.verification_code in page
    pdf = client.get(f"/de/status/{opened.reference}/extension-receipt.pdf")
    assert pdf.status_code == 200 and pdf.content == application.receipt_pdf


def test_every_page_offers_the_receipt_check(client, demo):
    page = client.get("/de/").content.decode()
    assert 'href="/de/extension/verify/"' in page
    assert client.get("/de/extension/verify/").status_code == 200


def test_the_database_refuses_a_second_application_for_the_same_permit(client, make_record):
    from django.db import IntegrityError, transaction

    case = make_record(days=60)
    client.post(link_path(case), extension_data(extension_service()))
    first = ExtensionApplication.objects.get()
    other = make_record(days=10, email="x@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        ExtensionApplication.objects.create(
            case=case,
            permit_expires_on=first.permit_expires_on,
            opened_case=other,
            applied_at=first.applied_at,
            before_expiry=True,
            verification_code="OTHER-CODE",
            initials="A. H.",
            receipt_pdf=b"",
        )


def test_the_admin_shows_applications_read_only(client, make_record, admin_user):
    case = make_record(days=60)
    client.post(link_path(case), extension_data(extension_service()))
    client.force_login(admin_user)
    listing = client.get("/admin/outreach/extensionapplication/")
    assert listing.status_code == 200
    assert ExtensionApplication.objects.get().opened_case.reference in listing.content.decode()
    assert client.get("/admin/outreach/extensionapplication/add/").status_code == 403
