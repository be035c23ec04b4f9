import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tests.accounts.factories import TeamFactory
from tests.cases.factories import (
    make_case_type,
    open_case,
    pdf_bytes,
    staff,
    status,
    upload_all_required,
)
from willkommen.cases import codes, selectors, services
from willkommen.cases.models import (
    Case,
    ClassificationChange,
    Receipt,
    ReferenceCounter,
    RoutingRule,
    StatusChange,
)
from willkommen.core.models import OutboxMail
from willkommen.core.states import TransitionNotAllowed

pytestmark = pytest.mark.django_db


def test_references_are_readable_sequential_and_per_year():
    with transaction.atomic():
        first = services.allocate_reference(year=2026)
        second = services.allocate_reference(year=2026)
        other_year = services.allocate_reference(year=2027)
    assert first == "ABH-2026-000001"
    assert second == "ABH-2026-000002"
    assert other_year == "ABH-2027-000001"
    assert ReferenceCounter.objects.get(prefix="ABH", year=2026).last_number == 2


@pytest.mark.django_db(transaction=True)
def test_reference_allocation_refuses_to_run_outside_a_transaction():
    with pytest.raises(services.CaseError):
        services.allocate_reference()


def test_opening_a_case_routes_records_history_and_mails_code():
    case_type = make_case_type()
    opened = open_case(case_type)
    case = opened.case
    assert re.fullmatch(r"ABH-\d{4}-\d{6}", case.reference)
    assert case.team == case_type.service.team
    assert case.status.code == "eingegangen"
    assert list(case.history.values_list("sequence", flat=True)) == [1]
    assert case.requirements.count() == 2
    assert case.assignments.count() == 1
    mail = OutboxMail.objects.get(dedupe_key=f"case:{case.pk}:confirmation")
    assert case.reference in mail.body and opened.access_code in mail.body


def test_access_code_has_80_bits_and_only_its_hash_is_stored():
    case_type = make_case_type()
    opened = open_case(case_type)
    raw = codes.normalise_code(opened.access_code)
    assert len(raw) == 16 and set(raw) <= set(codes.ALPHABET)  # 16 × 5 bits
    assert opened.access_code not in opened.case.access_code_hash
    assert raw not in opened.case.access_code_hash
    found = selectors.case_for_applicant(opened.case.reference, opened.access_code.lower())
    assert found == opened.case
    assert selectors.case_for_applicant(opened.case.reference, "0000-0000-0000-0000") is None
    assert selectors.case_for_applicant("ABH-1999-000001", opened.access_code) is None


def test_routing_prefers_the_most_specific_rule():
    case_type = make_case_type()
    service = case_type.service
    urgent_team, complex_team, both_team = TeamFactory(), TeamFactory(), TeamFactory()
    RoutingRule.objects.create(service=service, urgency="critical", team=urgent_team)
    RoutingRule.objects.create(service=service, difficulty="complex", team=complex_team)
    RoutingRule.objects.create(
        service=service, urgency="critical", difficulty="complex", team=both_team
    )
    assert services.route(service, "normal", "normal") == service.team
    assert services.route(service, "critical", "normal") == urgent_team
    assert services.route(service, "normal", "complex") == complex_team
    assert services.route(service, "critical", "complex") == both_team


# --- status changes (every edge of the table: test_transitions_db.py) ----------


def test_status_change_that_skips_the_order_is_refused_and_stores_nothing():
    case_type = make_case_type()
    case = open_case(case_type).case
    with pytest.raises(TransitionNotAllowed) as refused:
        services.change_status(
            case,
            status(case_type, "entschieden"),
            actor=None,
            expected_status_id=case.status_id,
        )
    assert str(refused.value.message) == "The case cannot move from “Eingegangen” to “Entschieden”."
    case.refresh_from_db()
    assert case.status.code == "eingegangen"
    assert case.history.count() == 1


def test_status_change_on_a_stale_view_is_refused():
    case_type = make_case_type()
    case = open_case(case_type).case
    seen = case.status_id
    services.change_status(
        case, status(case_type, "unvollstaendig"), actor=None, expected_status_id=seen
    )
    with pytest.raises(services.ConcurrentChange):
        services.change_status(
            case, status(case_type, "unvollstaendig"), actor=None, expected_status_id=seen
        )
    assert case.history.count() == 2


def test_completing_requires_every_required_document():
    case_type = make_case_type()
    case = open_case(case_type).case
    with pytest.raises(services.CaseError, match="not complete"):
        services.change_status(
            case,
            status(case_type, "vollstaendig"),
            actor=None,
            expected_status_id=case.status_id,
        )
    assert not Receipt.objects.filter(case=case).exists()


def test_completing_issues_the_receipt_with_pdf_and_mail_in_one_go():
    case_type = make_case_type()
    clerk = staff(case_type.service.team)
    opened = open_case(case_type)
    case = opened.case
    upload_all_required(case, actor=clerk)
    services.change_status(
        case, status(case_type, "vollstaendig"), actor=clerk, expected_status_id=case.status_id
    )
    receipt = Receipt.objects.get(case=case)
    assert bytes(receipt.pdf).startswith(b"%PDF-")
    assert receipt.issued_by == clerk
    mail = OutboxMail.objects.get(dedupe_key=f"case:{case.pk}:receipt")
    assert mail.attachments.get().mimetype == "application/pdf"
    assert case.reference in mail.body
    # One code per case: the receipt carries none, and the code from opening still works.
    assert not re.search(r"([0-9A-Z]{4}-){3}[0-9A-Z]{4}", mail.body), mail.body
    assert selectors.case_for_applicant(case.reference, opened.access_code) == case
    case.refresh_from_db()
    assert case.completed_at is not None


def test_receipt_is_issued_once_even_when_the_case_completes_again():
    case_type = make_case_type()
    case = open_case(case_type).case
    upload_all_required(case)
    for code in ("vollstaendig", "unvollstaendig", "vollstaendig"):
        case.refresh_from_db()
        services.change_status(
            case, status(case_type, code), actor=None, expected_status_id=case.status_id
        )
    assert Receipt.objects.filter(case=case).count() == 1
    assert OutboxMail.objects.filter(dedupe_key=f"case:{case.pk}:receipt").count() == 1


def test_notify_status_sends_one_mail_per_change():
    case_type = make_case_type()
    case = open_case(case_type).case
    services.change_status(
        case, status(case_type, "unvollstaendig"), actor=None, expected_status_id=case.status_id
    )
    mails = OutboxMail.objects.filter(dedupe_key__startswith=f"case:{case.pk}:status:")
    assert mails.count() == 1
    assert "Text unvollstaendig" in mails.get().body


def test_closing_sets_the_deletion_date_from_the_case_type():
    case_type = make_case_type()
    case = open_case(case_type).case
    upload_all_required(case)
    for code in ("vollstaendig", "in-pruefung", "entschieden", "abgeschlossen"):
        case.refresh_from_db()
        services.change_status(
            case, status(case_type, code), actor=None, expected_status_id=case.status_id
        )
    case.refresh_from_db()
    assert case.closed_at is not None
    assert (case.delete_after - case.closed_at.date()).days in (30, 31)  # Berlin vs UTC date
    assert list(case.history.values_list("sequence", flat=True)) == [1, 2, 3, 4, 5]
    with pytest.raises(services.CaseError, match="closed"):
        services.upload_document(
            case, SimpleUploadedFile("x.pdf", pdf_bytes()), requirement_id=None, actor=None
        )


def test_history_is_append_only_by_sequence():
    case_type = make_case_type()
    case = open_case(case_type).case
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - IntegrityError
        StatusChange.objects.create(
            case=case, sequence=1, status=case.status, changed_at=case.opened_at
        )


def test_classification_change_needs_a_reason_and_is_recorded():
    case_type = make_case_type()
    clerk = staff(case_type.service.team)
    case = open_case(case_type).case
    with pytest.raises(services.CaseError):
        services.change_classification(case, field="urgency", value="high", reason=" ", actor=clerk)
    services.change_classification(
        case, field="urgency", value="high", reason="Permit expires", actor=clerk
    )
    change = ClassificationChange.objects.get(case=case)
    assert (change.old_value, change.new_value, change.actor) == ("normal", "high", clerk)
    assert Case.objects.get(pk=case.pk).urgency == "high"


def test_the_case_language_changes_with_a_reason_and_later_mails_take_it():
    case_type = make_case_type()
    clerk = staff(case_type.service.team)
    case = open_case(case_type).case
    for value in ("it", "sr"):  # not offered / not the offered code (sr-latn)
        with pytest.raises(services.CaseError):
            services.change_classification(
                case, field="language", value=value, reason="asked", actor=clerk
            )
    assert Case.objects.get(pk=case.pk).language == "de"
    services.change_classification(
        case, field="language", value="ar", reason="Antragsteller bittet um Arabisch", actor=clerk
    )
    change = ClassificationChange.objects.get(case=case, field="language")
    assert (change.old_value, change.new_value) == ("de", "ar")
    case.refresh_from_db()
    services.change_status(
        case, status(case_type, "unvollstaendig"), actor=clerk, expected_status_id=case.status_id
    )
    mail = OutboxMail.objects.get(dedupe_key__startswith=f"case:{case.pk}:status:")
    assert mail.language == "ar"


def test_assignment_only_to_members_of_the_team():
    case_type = make_case_type()
    team = case_type.service.team
    lead = staff(team, role="team_lead")
    outsider = staff(TeamFactory())
    case = open_case(case_type).case
    with pytest.raises(services.CaseError, match="not a member"):
        services.assign(case, team=team, clerk=outsider, actor=lead)
    member = staff(team)
    services.assign(case, team=team, clerk=member, actor=lead, reason="Vertretung")
    assert Case.objects.get(pk=case.pk).clerk == member
    assert case.assignments.count() == 2


def test_agency_request_dates_are_checked():
    import datetime

    case_type = make_case_type()
    clerk = staff(case_type.service.team)
    case = open_case(case_type).case
    day = datetime.date(2026, 3, 2)
    with pytest.raises(services.CaseError):
        services.add_agency_request(
            case, agency="BA", subject="Zustimmung", sent_on=day,
            due_on=day - datetime.timedelta(days=1), actor=clerk,
        )  # fmt: skip
    request = services.add_agency_request(
        case, agency="BA", subject="Zustimmung", sent_on=day, due_on=None, actor=clerk
    )
    services.answer_agency_request(request, answered_on=day, answer="Zugestimmt")
    with pytest.raises(services.CaseError, match="already"):
        services.answer_agency_request(request, answered_on=day, answer="again")


def test_interim_certificate_is_recorded():
    import datetime

    case_type = make_case_type()
    clerk = staff(case_type.service.team)
    case = open_case(case_type).case
    day = datetime.date(2026, 3, 2)
    with pytest.raises(services.CaseError):
        services.issue_interim_certificate(
            case, number="F1", issued_on=day, valid_until=day, actor=clerk
        )
    certificate = services.issue_interim_certificate(
        case, number="F123", issued_on=day, valid_until=day + datetime.timedelta(days=90),
        actor=clerk,
    )  # fmt: skip
    assert case.interim_certificates.get() == certificate


def test_the_receipt_kept_and_mailed_is_one_document_without_the_access_code():
    import io

    from pypdf import PdfReader

    case_type = make_case_type()
    opened = open_case(case_type)
    case = opened.case
    upload_all_required(case)
    services.change_status(
        case, status(case_type, "vollstaendig"), actor=None, expected_status_id=case.status_id
    )
    mail = OutboxMail.objects.get(dedupe_key=f"case:{case.pk}:receipt")
    kept = "".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(case.receipt.pdf))).pages)
    mailed = bytes(mail.attachments.get().content)
    assert mailed == bytes(case.receipt.pdf)
    assert case.reference in kept and opened.access_code not in kept


def test_without_an_e_mail_address_the_paper_code_keeps_working():
    case_type = make_case_type()
    opened = open_case(case_type, contact_email="")
    case = opened.case
    upload_all_required(case)
    services.change_status(
        case, status(case_type, "vollstaendig"), actor=None, expected_status_id=case.status_id
    )
    assert Receipt.objects.get(case=case).mail is None
    assert selectors.case_for_applicant(case.reference, opened.access_code) == case


def test_letters_give_the_office_s_day_not_the_utc_day():
    import datetime

    from django.utils import translation

    from willkommen.cases.letters import local_date

    late_evening_utc = datetime.datetime(2026, 3, 2, 23, 30, tzinfo=datetime.UTC)
    with translation.override("de"):
        assert local_date(late_evening_utc) == "3. März 2026"  # 00:30 in Berlin
