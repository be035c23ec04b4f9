"""Opening a case: route it to a team, record its persons, copy its checklist, store its files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from willkommen.cases import codes, letters, transitions
from willkommen.cases.errors import CaseError
from willkommen.cases.models import (
    Assignment,
    Case,
    CaseType,
    Difficulty,
    Job,
    Person,
    Representative,
    Requirement,
    RoutingRule,
    StatusChange,
    Urgency,
)
from willkommen.cases.services.documents import store_document
from willkommen.cases.services.references import allocate_reference, status_page_link
from willkommen.cases.uploads import CheckedFile
from willkommen.core import clock
from willkommen.core.i18n import SOURCE_LANGUAGE, supported_language
from willkommen.core.outbox import queue_mail


def route(service, urgency: str, difficulty: str):
    """The team of the most specific matching rule; the service's own team without one."""
    rules = RoutingRule.objects.filter(service=service).select_related("team")
    best, best_score = None, -1
    for rule in rules:
        if rule.urgency and rule.urgency != urgency:
            continue
        if rule.difficulty and rule.difficulty != difficulty:
            continue
        score = bool(rule.urgency) * 2 + bool(rule.difficulty)
        if score > best_score:
            best, best_score = rule, score
    return best.team if best else service.team


@dataclass
class OpenedCase:
    case: Case
    access_code: str  # shown or mailed once; only its hash is stored


def first_status(case_type: CaseType):
    first = transitions.first_status(list(case_type.statuses.all()))
    if first is None:
        raise CaseError(_("This service has no case type with statuses yet."))
    return first


def copy_checklist(case: Case, service) -> dict[int, Requirement]:
    """The service's checklist as it applies now, kept with the case (by catalogue item id)."""
    return {
        item.pk: Requirement.objects.create(
            case=case,
            checklist_item=item,
            position=item.position,
            title=item.title,
            required=item.required and item.condition_id is None,
        )
        for item in service.checklist.all()
    }


def open_case(
    *,
    service,
    applicant: dict,
    family: list[dict] = (),
    representative: dict | None = None,
    job: dict | None = None,
    urgency: str = Urgency.NORMAL,
    difficulty: str = Difficulty.NORMAL,
    permit_expires_on: date | None = None,
    permit_type: str = "",
    contact_email: str = "",
    language: str = "de",
    source: str = "staff",
    notify_by_email: bool = True,
    actor=None,
    files: list[tuple[int | None, CheckedFile]] = (),
    send_confirmation: bool = True,
    received_at: datetime | None = None,
) -> OpenedCase:
    """Open a case with its persons, route it to a team, store its first documents.

    ``files`` are already checked (``uploads.as_checked``) and name the
    checklist item (catalogue id) they fulfil, or None. ``received_at`` is when the
    application arrived, if earlier than now (an online application's submission
    date, which can matter for § 81 (4) AufenthG).
    """
    case_type = CaseType.objects.filter(service=service, is_active=True).first()
    if case_type is None:
        raise CaseError(_("Applications for this service cannot be made online yet."))
    code = codes.new_access_code()
    stored: list[str] = []
    try:
        with transaction.atomic():
            now = clock.now()
            reference = allocate_reference()
            team = route(service, urgency, difficulty)
            status = first_status(case_type)
            case = Case.objects.create(
                reference=reference,
                case_type=case_type,
                status=status,
                urgency=urgency,
                difficulty=difficulty,
                team=team,
                permit_expires_on=permit_expires_on,
                permit_type=permit_type,
                contact_email=contact_email,
                language=supported_language(language) or SOURCE_LANGUAGE,
                access_code_hash=codes.hash_code(reference, code),
                opened_at=received_at or now,
                source=source,
                notify_by_email=notify_by_email,
            )
            main = Person.objects.create(case=case, role=Person.Role.APPLICANT, **applicant)
            for member in family:
                Person.objects.create(case=case, role=Person.Role.FAMILY, related_to=main, **member)
            if representative:
                Representative.objects.create(case=case, **representative)
            if job:
                Job.objects.create(case=case, **job)
            StatusChange.objects.create(
                case=case, sequence=1, status=status, changed_at=now, actor=actor
            )
            Assignment.objects.create(
                case=case, team=team, actor=actor, reason="routing", assigned_at=now
            )
            by_item = copy_checklist(case, service)
            for item_id, checked in files:
                document = store_document(case, by_item.get(item_id), checked, actor, actor is None)
                stored.append(document.stored_name)
            if send_confirmation and contact_email:
                _queue_confirmation(case, code)
    except Exception:
        for name in stored:  # the rows are gone with the rollback; so must the files be
            default_storage.delete(name)
        raise
    return OpenedCase(case=case, access_code=code)


def _queue_confirmation(case: Case, code: str) -> None:
    letter = letters.confirmation(case, code, status_page_link(case))
    queue_mail(
        to=case.contact_email,
        subject=letter.subject,
        body=letter.body,
        dedupe_key=f"case:{case.pk}:confirmation",
        language=case.language,
    )


@transaction.atomic
def add_family_member(case: Case, *, person: dict, relation: str) -> Person:
    """A family member linked to the case's applicant (e.g. children in a parent's case)."""
    applicant = case.persons.filter(role=Person.Role.APPLICANT).first()
    if applicant is None:
        raise CaseError(_("The case has no applicant any more."))
    return Person.objects.create(
        case=case, role=Person.Role.FAMILY, related_to=applicant, relation=relation, **person
    )
