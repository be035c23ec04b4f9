"""Writes of the case file: one function per use case, each in one transaction."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from willkommen.accounts.models import Team, User
from willkommen.cases import codes, letters, transitions
from willkommen.cases.forecast import forecast_for
from willkommen.cases.models import (
    AccessLogEntry,
    AgencyRequest,
    Assignment,
    Case,
    CaseType,
    ClassificationChange,
    ContactRequest,
    ContactTopic,
    Difficulty,
    Document,
    InterimCertificate,
    Job,
    Note,
    Person,
    Phase,
    Receipt,
    ReferenceCounter,
    Representative,
    Requirement,
    RoutingRule,
    StatusChange,
    StatusType,
    Urgency,
    validate_status_order,
)
from willkommen.cases.uploads import CheckedFile, as_checked
from willkommen.catalog.models import Service
from willkommen.core import clock
from willkommen.core.models import OutboxMail
from willkommen.core.outbox import queue_mail
from willkommen.core.pdf import OfficePDF

logger = logging.getLogger(__name__)

CASE_PREFIX = "ABH"
CONTACT_PREFIX = "KON"


class CaseError(ValueError):
    """A write that is refused; the message is shown to the person who tried."""


class ConcurrentChange(CaseError):
    pass


# --- references ------------------------------------------------------------


def allocate_reference(prefix: str = CASE_PREFIX, year: int | None = None, count: int = 1) -> str:
    """The next reference of the year, e.g. ABH-2026-000123; never handed out twice.

    The increment is one UPDATE of the year's counter row, which locks that row
    until the surrounding transaction ends (PostgreSQL; SQLite locks the whole
    database for the write), so concurrent allocations queue instead of reading
    the same number. The first allocation of a year creates the row; a
    concurrent creator loses on the unique constraint and increments instead.
    ``count`` reserves that many numbers at once (bulk imports); the last is returned.
    """
    if not transaction.get_connection().in_atomic_block:
        raise CaseError("allocate_reference must run inside the transaction that uses it")
    year = year or clock.now().year
    counters = ReferenceCounter.objects.filter(prefix=prefix, year=year)
    if count < 1:
        raise CaseError("count must be at least 1")
    if not counters.update(last_number=F("last_number") + count):
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(prefix=prefix, year=year, last_number=count)
        except IntegrityError:
            counters.update(last_number=F("last_number") + count)
    number = counters.values_list("last_number", flat=True).get()
    return f"{prefix}-{year}-{number:06d}"


# --- routing ---------------------------------------------------------------


def route(service: Service, urgency: str, difficulty: str) -> Team:
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


# --- opening a case ----------------------------------------------------------


@dataclass
class OpenedCase:
    case: Case
    access_code: str  # shown or mailed once; only its hash is stored


def status_page_link(case: Case, code: str) -> str:
    query = urlencode({"reference": case.reference, "code": code})
    return f"{settings.PUBLIC_BASE_URL}/{case.language}/status/?{query}"


def _first_status(case_type: CaseType) -> StatusType:
    first = case_type.statuses.order_by("position").first()
    if first is None:
        raise CaseError(_("This service has no case type with statuses yet."))
    return first


def open_case(
    *,
    service: Service,
    applicant: dict,
    family: list[dict] = (),
    representative: dict | None = None,
    job: dict | None = None,
    urgency: str = Urgency.NORMAL,
    difficulty: str = Difficulty.NORMAL,
    permit_expires_on: date | None = None,
    contact_email: str = "",
    language: str = "de",
    source: str = "staff",
    notify_by_email: bool = True,
    actor: User | None = None,
    files: list[tuple[int | None, CheckedFile]] = (),
    send_confirmation: bool = True,
) -> OpenedCase:
    """Open a case with its persons, route it to a team, store its first documents.

    ``files`` are already checked (``uploads.check_upload``) and name the
    checklist item (catalogue id) they fulfil, or None.
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
            status = _first_status(case_type)
            case = Case.objects.create(
                reference=reference,
                case_type=case_type,
                status=status,
                urgency=urgency,
                difficulty=difficulty,
                team=team,
                permit_expires_on=permit_expires_on,
                contact_email=contact_email,
                language=language,
                access_code_hash=codes.hash_code(reference, code),
                opened_at=now,
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
            by_item = {}
            for item in service.checklist.all():
                by_item[item.pk] = Requirement.objects.create(
                    case=case,
                    checklist_item=item,
                    position=item.position,
                    title=item.title,
                    required=item.required and item.condition_id is None,
                )
            for item_id, checked in files:
                requirement = by_item.get(item_id)
                document = _store_document(case, requirement, checked, actor, actor is None)
                stored.append(document.stored_name)
            if send_confirmation and contact_email:
                _queue_confirmation(case, code)
    except Exception:
        for name in stored:  # the rows are gone with the rollback; so must the files be
            default_storage.delete(name)
        raise
    return OpenedCase(case=case, access_code=code)


def _queue_confirmation(case: Case, code: str) -> None:

    letter = letters.confirmation(case, code, status_page_link(case, code))
    queue_mail(
        to=case.contact_email,
        subject=letter.subject,
        body=letter.body,
        dedupe_key=f"case:{case.pk}:confirmation",
    )


# --- documents -------------------------------------------------------------


def _store_document(
    case: Case, requirement: Requirement | None, checked: CheckedFile, actor, by_applicant: bool
) -> Document:
    previous = None
    if requirement is not None:
        previous = (
            Document.objects.filter(case=case, requirement=requirement, superseded_by__isnull=True)
            .order_by("-version")
            .first()
        )
    extension = "jpg" if checked.kind == "jpeg" else checked.kind
    # Our own random name, below MEDIA_ROOT (outside the web root, never served directly).
    name = f"cases/{case.pk}/{uuid.uuid4().hex}.{extension}"
    saved_name = default_storage.save(name, ContentFile(checked.content))
    try:
        return Document.objects.create(
            case=case,
            requirement=requirement,
            supersedes=previous,
            version=(previous.version + 1) if previous else 1,
            stored_name=saved_name,
            original_name=checked.display_name,
            kind=checked.kind,
            size=len(checked.content),
            sha256=checked.sha256,
            pages=checked.pages,
            pixels=checked.pixels,
            scan_result=checked.scan_result,
            uploaded_at=clock.now(),
            uploaded_by=actor,
            by_applicant=by_applicant,
        )
    except Exception:
        default_storage.delete(saved_name)
        raise


def upload_document(
    case: Case, uploaded, *, requirement_id: int | None, actor: User | None
) -> Document:
    """Check and store an upload for a case; ``actor`` None means the applicant uploaded it."""
    checked = as_checked(uploaded)  # raises UploadRefused before anything is stored
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.closed_at is not None:
            raise CaseError(_("The case is closed; documents can no longer be added."))
        requirement = None
        if requirement_id is not None:
            requirement = case.requirements.filter(pk=requirement_id).first()
            if requirement is None:
                raise CaseError(_("This document is not on the case's checklist."))
        return _store_document(case, requirement, checked, actor, actor is None)


def missing_requirements(case: Case) -> list[Requirement]:
    fulfilled = set(
        Document.objects.filter(case=case, requirement__isnull=False).values_list(
            "requirement_id", flat=True
        )
    )
    return [r for r in case.requirements.all() if r.required and r.pk not in fulfilled]


# --- status ------------------------------------------------------------------


def change_status(
    case: Case,
    target: StatusType,
    *,
    actor: User | None,
    expected_status_id: int,
    note: str = "",
) -> StatusChange:
    """Move a case to ``target``, if the case type's order allows it.

    ``expected_status_id`` is the status the person saw: if someone changed it
    in the meantime, the change is refused (nothing is stored) rather than
    applied on top of a status they did not see.
    """
    with transaction.atomic():
        # No select_related here: PostgreSQL re-checks a joined row after waiting for the
        # lock, and the join on the old status would then find no row at all.
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.status_id != expected_status_id:
            raise ConcurrentChange(
                _("The status was changed by someone else in the meantime. Please check it.")
            )
        if target.case_type_id != locked.case_type_id:
            raise CaseError(_("This status belongs to another case type."))
        statuses = list(locked.case_type.statuses.all())
        if not transitions.is_allowed(locked.status, target, statuses):
            raise CaseError(
                _("The case cannot move from “%(current)s” to “%(target)s”.")
                % {"current": locked.status.internal_name, "target": target.internal_name}
            )
        now = clock.now()
        updates = {"status": target}
        if target.phase == Phase.COMPLETE:
            missing = missing_requirements(locked)
            if missing:
                raise CaseError(
                    _("The case is not complete. Missing: %(items)s")
                    % {"items": ", ".join(str(r) for r in missing)}
                )
            updates["completed_at"] = locked.completed_at or now
        if target.phase == Phase.CLOSED:
            updates["closed_at"] = now
            updates["delete_after"] = clock.local_today("Europe/Berlin") + timedelta(
                days=locked.case_type.retention_days
            )
        last = locked.history.order_by("-sequence").values_list("sequence", flat=True).first()
        # The conditional update is the guard on both databases: a second writer that
        # slipped past the check above updates nothing and is refused.
        if not Case.objects.filter(pk=locked.pk, status_id=expected_status_id).update(**updates):
            raise ConcurrentChange(
                _("The status was changed by someone else in the meantime. Please check it.")
            )
        try:
            with transaction.atomic():
                change = StatusChange.objects.create(
                    case=locked,
                    sequence=(last or 0) + 1,
                    status=target,
                    changed_at=now,
                    actor=actor,
                    note=note[:500],
                )
        except IntegrityError as exc:
            raise ConcurrentChange(
                _("The status was changed by someone else in the meantime. Please check it.")
            ) from exc
        locked.refresh_from_db()
        if target.phase == Phase.COMPLETE and not hasattr(locked, "receipt"):
            issue_receipt(locked, actor=actor)
        elif target.notify_applicant and locked.notify_by_email and locked.contact_email:
            _queue_status_mail(locked, change)
    case.refresh_from_db()
    return change


def _queue_status_mail(case: Case, change: StatusChange) -> None:

    letter = letters.status_changed(case, change.status)
    queue_mail(
        to=case.contact_email,
        subject=letter.subject,
        body=letter.body,
        dedupe_key=f"case:{case.pk}:status:{change.sequence}",
    )


def issue_receipt(case: Case, *, actor: User | None):
    """Eingangsbestätigung: PDF and mail, stored with the change that completed the case.

    Access codes are only stored as a hash, so a receipt that is mailed carries a
    new code (the old one stops working, the mail says so). Without an e-mail
    address the code stays as it was, so the paper code from the counter keeps
    working. The copy kept for staff never contains a code.
    """

    forecast = forecast_for(case.case_type_id, case.urgency, case.difficulty)
    mail = None
    with translation.override(case.language):
        kept_pdf = letters.receipt_pdf(case, forecast, None, None)
        forecast_text = letters.forecast_range(forecast)
        if case.contact_email:
            code = codes.new_access_code()
            Case.objects.filter(pk=case.pk).update(
                access_code_hash=codes.hash_code(case.reference, code)
            )
            link = status_page_link(case, code)
            letter = letters.receipt_mail(case, forecast, code, link)
            mail = queue_mail(
                to=case.contact_email,
                subject=letter.subject,
                body=letter.body,
                attachments=[
                    (
                        f"Eingangsbestaetigung-{case.reference}.pdf",
                        letters.receipt_pdf(case, forecast, code, link),
                        "application/pdf",
                    )
                ],
                dedupe_key=f"case:{case.pk}:receipt",
            )
    return Receipt.objects.create(
        case=case,
        issued_at=clock.now(),
        issued_by=actor,
        pdf=kept_pdf,
        mail=mail,
        forecast_text=forecast_text,
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


# --- classification, assignment, notes, agencies, certificates ----------------


@transaction.atomic
def change_classification(case: Case, *, field: str, value: str, reason: str, actor: User) -> None:
    choices = {"urgency": Urgency, "difficulty": Difficulty}
    if field not in choices or value not in choices[field].values:
        raise CaseError(_("Unknown value."))
    if not reason.strip():
        raise CaseError(_("Please give a reason for the change."))
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.closed_at is not None:
        # Closed cases are the forecast's history; their grouping stays as it was.
        raise CaseError(_("The case is closed; its classification can no longer change."))
    old = getattr(locked, field)
    if old == value:
        raise CaseError(_("The value is already set."))
    Case.objects.filter(pk=case.pk).update(**{field: value})
    ClassificationChange.objects.create(
        case=locked,
        field=field,
        old_value=old,
        new_value=value,
        reason=reason.strip()[:500],
        actor=actor,
        changed_at=clock.now(),
    )
    case.refresh_from_db()


@transaction.atomic
def assign(case: Case, *, team: Team, clerk: User | None, actor: User, reason: str = "") -> None:
    """Make ``team`` (and ``clerk``, a member of it, or nobody: the team's inbox) responsible."""
    if clerk is not None and not clerk.teams.filter(pk=team.pk).exists():
        raise CaseError(_("The clerk is not a member of this team."))
    if not team.is_active:
        raise CaseError(_("This team is not active."))
    Case.objects.select_for_update().filter(pk=case.pk).update(team=team, clerk=clerk)
    Assignment.objects.create(
        case=case,
        team=team,
        clerk=clerk,
        actor=actor,
        reason=reason.strip()[:500],
        assigned_at=clock.now(),
    )
    case.refresh_from_db()


@transaction.atomic
def add_note(case: Case, *, text: str, author: User) -> Note:
    if not text.strip():
        raise CaseError(_("The note is empty."))
    return Note.objects.create(case=case, author=author, text=text.strip(), created_at=clock.now())


@transaction.atomic
def add_agency_request(
    case: Case, *, agency: str, subject: str, sent_on: date, due_on: date | None, actor: User
) -> AgencyRequest:
    if due_on is not None and due_on < sent_on:
        raise CaseError(_("The answer cannot be due before the request was sent."))
    return AgencyRequest.objects.create(
        case=case, agency=agency, subject=subject, sent_on=sent_on, due_on=due_on, created_by=actor
    )


@transaction.atomic
def answer_agency_request(request: AgencyRequest, *, answered_on: date, answer: str) -> None:
    locked = AgencyRequest.objects.select_for_update().get(pk=request.pk)
    if locked.answered_on is not None:
        raise CaseError(_("This request has already been answered."))
    if answered_on < locked.sent_on:
        raise CaseError(_("The answer cannot be dated before the request was sent."))
    AgencyRequest.objects.filter(pk=locked.pk).update(answered_on=answered_on, answer=answer)


@transaction.atomic
def issue_interim_certificate(
    case: Case, *, number: str, issued_on: date, valid_until: date, actor: User
) -> InterimCertificate:
    if valid_until <= issued_on:
        raise CaseError(_("The certificate must be valid after the day it is issued."))
    return InterimCertificate.objects.create(
        case=case, number=number, issued_on=issued_on, valid_until=valid_until, issued_by=actor
    )


def log_access(case: Case, *, user: User | None, action: str, document=None) -> None:
    AccessLogEntry.objects.create(
        case=case, user=user, action=action, document=document, at=clock.now()
    )


# --- contact requests --------------------------------------------------------


def submit_contact_request(
    *, topic: ContactTopic, name: str, email: str, message: str, case_reference: str, language: str
) -> ContactRequest:

    with transaction.atomic():
        request = ContactRequest.objects.create(
            reference=allocate_reference(CONTACT_PREFIX),
            topic=topic,
            team=topic.team,
            name=name,
            email=email,
            message=message,
            case_reference=case_reference,
            language=language,
            created_at=clock.now(),
            delete_after=clock.local_today("Europe/Berlin") + timedelta(days=365),
        )
        letter = letters.contact_confirmation(request)
        queue_mail(
            to=email,
            subject=letter.subject,
            body=letter.body,
            dedupe_key=f"contact:{request.pk}:confirmation",
        )
        if topic.team.email:
            queue_mail(
                to=topic.team.email,
                subject=f"[{request.reference}] {topic}",
                body=f"{name} <{email}>\n{case_reference}\n\n{message}",
                dedupe_key=f"contact:{request.pk}:team",
            )
    return request


def mark_contact_answered(request: ContactRequest) -> None:
    """Record that a message was answered; answering twice is refused."""
    if not ContactRequest.objects.filter(pk=request.pk, answered_at__isnull=True).update(
        answered_at=clock.now()
    ):
        raise CaseError(_("This message has already been marked as answered."))


# --- retention -----------------------------------------------------------------


@dataclass
class RetentionReport:
    cases: list[str]
    documents: int
    contact_requests: int


def apply_retention(today: date | None = None, *, dry_run: bool = False) -> RetentionReport:
    """Anonymise closed cases whose deletion date has passed, delete their documents.

    The case row stays (reference, type, dates, status history) so that KPIs
    and forecasts keep their figures; everything personal goes: persons,
    representative, job, notes, documents (files and rows), agency answers,
    the access log, the receipt PDF, the sent mails and the contact address.
    """
    today = today or clock.local_today("Europe/Berlin")
    due = Case.objects.filter(
        closed_at__isnull=False, delete_after__lt=today, anonymised_at__isnull=True
    )
    contact_due = ContactRequest.objects.filter(delete_after__lt=today)
    report = RetentionReport(cases=[], documents=0, contact_requests=contact_due.count())
    for case in due.order_by("delete_after", "pk"):
        files = list(case.documents.values_list("stored_name", flat=True))
        report.cases.append(case.reference)
        report.documents += len(files)
        if dry_run:
            continue
        with transaction.atomic():
            case.persons.all().delete()
            Representative.objects.filter(case=case).delete()
            Job.objects.filter(case=case).delete()
            case.notes.all().delete()
            case.documents.all().delete()
            case.access_log.all().delete()
            case.agency_requests.update(answer="", subject="")
            StatusChange.objects.filter(case=case).redact(note="")
            ClassificationChange.objects.filter(case=case).update(reason="")

            Receipt.objects.filter(case=case).update(pdf=b"", mail=None)
            _delete_sent_mails(f"case:{case.pk}:")
            Case.objects.filter(pk=case.pk).update(
                contact_email="", access_code_hash="", anonymised_at=clock.now()
            )
            transaction.on_commit(lambda names=files: _delete_files(names))
    if not dry_run:
        for contact_id in contact_due.values_list("pk", flat=True):
            _delete_sent_mails(f"contact:{contact_id}:")
        contact_due.delete()
    return report


def _delete_sent_mails(key_prefix: str) -> None:
    """The outbox copies of what was mailed about a case (addresses, codes); unsent ones stay."""
    OutboxMail.objects.filter(
        dedupe_key__startswith=key_prefix, status=OutboxMail.Status.SENT
    ).delete()


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("could not delete document file %s", name)


# --- case types and demo data -------------------------------------------------

DEMO_CASE_TYPES = Path(__file__).resolve().parent / "demo" / "case_types.json"


@transaction.atomic
def load_case_types(data: dict) -> dict[str, int]:
    """Create or update case types with their statuses, routing rules and contact topics.

    Statuses are updated in place by code; a status that cases already use is
    never deleted (PROTECT), so an office can reorder texts without losing history.
    Invalid data raises ValidationError and nothing is stored.
    """
    counts = dict.fromkeys(["case_types", "statuses", "routing_rules", "contact_topics"], 0)
    for row in data.get("case_types", []):
        service = Service.objects.filter(slug=row["service"]).first()
        if service is None:
            raise ValidationError(f"unknown service {row['service']!r}")
        case_type, _created = CaseType.objects.update_or_create(
            service=service,
            defaults={"norm_days": row["norm_days"], "retention_days": row["retention_days"]},
        )
        case_type.full_clean()
        # Positions are unique per case type: park the old ones out of the way first.
        case_type.statuses.update(position=F("position") + 1000)
        statuses = []
        for position, status_row in enumerate(row["statuses"]):
            fields = {k: v for k, v in status_row.items() if k != "code"}
            status, _created = StatusType.objects.update_or_create(
                case_type=case_type,
                code=status_row["code"],
                defaults={**fields, "position": position},
            )
            status.full_clean()
            statuses.append(status)
            counts["statuses"] += 1
        validate_status_order(statuses)
        stale = case_type.statuses.exclude(pk__in=[s.pk for s in statuses])
        if stale.exists():
            raise ValidationError(
                f"{row['service']}: statuses {sorted(stale.values_list('code', flat=True))} "
                "are missing from the file"
            )
        counts["case_types"] += 1
    for row in data.get("routing_rules", []):
        RoutingRule.objects.update_or_create(
            service=Service.objects.get(slug=row["service"]),
            urgency=row.get("urgency", ""),
            difficulty=row.get("difficulty", ""),
            defaults={"team": Team.objects.get(slug=row["team"])},
        )
        counts["routing_rules"] += 1
    for position, row in enumerate(data.get("contact_topics", [])):
        ContactTopic.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "team": Team.objects.get(slug=row["team"]),
                "position": position,
            },
        )
        counts["contact_topics"] += 1
    return counts


def load_case_types_file(path: Path = DEMO_CASE_TYPES) -> dict[str, int]:
    with open(path, encoding="utf-8") as handle:
        return load_case_types(json.load(handle))


DEMO_GIVEN = [
    "Amina",
    "Mehmet",
    "Olena",
    "Rahul",
    "Lucía",
    "Chen",
    "Fatima",
    "Ivan",
    "Nguyen",
    "Sara",
    "Kwame",
    "Ana",
    "Yusuf",
    "Mariam",
    "Dmytro",
    "Priya",
]
DEMO_FAMILY = [
    "Haddad",
    "Yılmaz",
    "Kovalenko",
    "Sharma",
    "García",
    "Wang",
    "Okafor",
    "Petrov",
    "Tran",
    "Rossi",
    "Mensah",
    "Silva",
    "Demir",
    "Nasser",
    "Bondarenko",
    "Iyer",
]
DEMO_NATIONALITY = [
    "syrisch",
    "türkisch",
    "ukrainisch",
    "indisch",
    "kolumbianisch",
    "chinesisch",
    "nigerianisch",
    "serbisch",
    "vietnamesisch",
    "brasilianisch",
]
URGENCY_FACTOR = {Urgency.NORMAL: 1.0, Urgency.HIGH: 0.75, Urgency.CRITICAL: 0.5}
DIFFICULTY_FACTOR = {Difficulty.SIMPLE: 0.7, Difficulty.NORMAL: 1.0, Difficulty.COMPLEX: 1.5}


@transaction.atomic
def load_demo_cases(seed: int = 2026) -> dict[str, int]:
    """Closed history for forecasts plus a few open cases per type; deterministic per seed.

    Idempotent: demo cases are marked (source "demo") and made only once.
    """
    import random

    if Case.objects.filter(source="demo").exists():
        return {"closed": 0, "open": 0}
    rng = random.Random(seed)
    now = clock.now()
    counts = {"closed": 0, "open": 0}
    sample_pdf = _demo_pdf()
    with open(DEMO_CASE_TYPES, encoding="utf-8") as handle:
        sizes = {r["service"]: r.get("demo_history", 0) for r in json.load(handle)["case_types"]}
    for case_type in CaseType.objects.select_related("service__team").order_by("service__slug"):
        statuses = list(case_type.statuses.order_by("position"))
        for _index in range(sizes.get(case_type.service.slug, 20)):
            urgency = rng.choices(list(Urgency), weights=[75, 20, 5])[0]
            difficulty = rng.choices(list(Difficulty), weights=[30, 50, 20])[0]
            days = case_type.norm_days * URGENCY_FACTOR[urgency] * DIFFICULTY_FACTOR[difficulty]
            days *= rng.lognormvariate(0, 0.35)
            closed_at = now - timedelta(days=rng.uniform(3, 600), hours=rng.uniform(0, 8))
            opened_at = closed_at - timedelta(days=max(days, 0.5))
            path = [s for s in statuses if not s.skippable or rng.random() < 0.6]
            _demo_case(case_type, rng, opened_at, urgency, difficulty, path, closed_at)
            counts["closed"] += 1
        for open_index in range(3):
            opened_at = now - timedelta(days=rng.uniform(1, case_type.norm_days * 1.3))
            upto = rng.randint(1, max(1, len(statuses) - 2))
            path = statuses[:upto]
            case = _demo_case(
                case_type, rng, opened_at, Urgency.NORMAL, Difficulty.NORMAL, path, None
            )
            # Past "complete", a case has every required document; before, only some.
            required = list(case.requirements.filter(required=True))
            complete = any(s.phase == Phase.COMPLETE for s in path)
            for requirement in required if complete else required[: 1 + open_index]:
                _store_document(case, requirement, sample_pdf, None, True)
            counts["open"] += 1
    return counts


def _demo_pdf() -> CheckedFile:
    pdf = OfficePDF("Beispieldokument")
    pdf.paragraph("Beispieldokument der Demo-Daten. / Sample document of the demo data.")
    content = pdf.render()
    return CheckedFile(content, "pdf", hashlib.sha256(content).hexdigest(), 1, None,
                       "beispiel.pdf", "not_configured")  # fmt: skip


def _demo_case(case_type, rng, opened_at, urgency, difficulty, path, closed_at) -> Case:
    service = case_type.service
    reference = allocate_reference(year=opened_at.year)
    case = Case.objects.create(
        reference=reference,
        case_type=case_type,
        status=path[-1],
        urgency=urgency,
        difficulty=difficulty,
        team=route(service, urgency, difficulty),
        contact_email=f"demo{rng.randint(1000, 9999)}@example.org",
        access_code_hash=codes.hash_code(reference, codes.new_access_code()),
        opened_at=opened_at,
        completed_at=opened_at + timedelta(days=2) if len(path) > 2 else None,
        closed_at=closed_at,
        delete_after=(closed_at.date() + timedelta(days=case_type.retention_days))
        if closed_at
        else None,
        permit_expires_on=(opened_at + timedelta(days=rng.randint(10, 120))).date(),
        source="demo",
    )
    Person.objects.create(
        case=case,
        given_name=rng.choice(DEMO_GIVEN),
        family_name=rng.choice(DEMO_FAMILY),
        date_of_birth=date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        nationality=rng.choice(DEMO_NATIONALITY),
        email=case.contact_email,
    )
    end = closed_at or clock.now()
    step = (end - opened_at) / max(len(path), 1)
    StatusChange.objects.bulk_create(
        StatusChange(case=case, sequence=i + 1, status=s, changed_at=opened_at + step * i)
        for i, s in enumerate(path)
    )
    Assignment.objects.create(case=case, team=case.team, reason="routing", assigned_at=opened_at)
    if closed_at is None:
        for item in service.checklist.all():
            Requirement.objects.create(
                case=case, checklist_item=item, position=item.position, title=item.title,
                required=item.required and item.condition_id is None,
            )  # fmt: skip
    return case
