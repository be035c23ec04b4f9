"""Writes of outreach: invitations, pauses, the online extension application.

Each function is one use case in one transaction; mails go through the outbox in
that transaction. "At most once" rests on unique constraints (one invitation per
permit and lead time, one application per permit), not on a look before the insert.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from willkommen.cases import services as case_services
from willkommen.cases.models import Case, Person, Urgency
from willkommen.cases.uploads import CheckedFile
from willkommen.core import clock
from willkommen.core.outbox import queue_mail
from willkommen.outreach import letters, links, selectors
from willkommen.outreach.errors import AlreadyApplied, OutreachError
from willkommen.outreach.models import ExtensionApplication, Invitation, InvitationPause

logger = logging.getLogger(__name__)
# No 0/O, 1/I/L: read aloud on the phone or typed from paper by an employer.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def send_due_invitations(today: date | None = None) -> int:
    """Mail every invitation due today; a second sweep (or two at once) sends none again."""
    today = today or clock.office_today()
    service = selectors.extension_service()
    sent = 0
    for case in selectors.invitation_candidates(today).iterator():
        weeks = selectors.due_lead_weeks(case.permit_expires_on, today)
        if weeks is None or selectors.has_booked(case, service):
            continue
        if _invite(case, weeks, service):
            sent += 1
    return sent


def _invite(case: Case, weeks: int, service) -> bool:
    applicant = case.applicant()
    if applicant is None:
        return False
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                case=case,
                permit_expires_on=case.permit_expires_on,
                lead_weeks=weeks,
                sent_at=clock.now(),
            )
            with translation.override(case.language):
                letter = letters.invitation(
                    case,
                    applicant,
                    extension_link=links.extension_url(case),
                    booking_link=links.booking_url(service, case.language) if service else "",
                )
            invitation.mail = queue_mail(
                to=case.contact_email,
                subject=letter.subject,
                body=letter.body,
                dedupe_key=f"outreach:{case.pk}:{case.permit_expires_on}:{weeks}",
                language=case.language,
            )
            invitation.save(update_fields=["mail"])
    except IntegrityError:  # another sweep sent this one first
        return False
    return True


@transaction.atomic
def pause_invitations(case: Case, *, reason: str, actor) -> InvitationPause:
    reason = reason.strip()
    if not reason:
        raise OutreachError(_("Please give a reason for the pause."))
    try:
        with transaction.atomic():
            return InvitationPause.objects.create(
                case=case, reason=reason[:300], paused_at=clock.now(), paused_by=actor
            )
    except IntegrityError:
        raise OutreachError(_("Invitations for this person are already paused.")) from None


@transaction.atomic
def lift_pause(case: Case, *, actor) -> None:
    lifted = InvitationPause.objects.filter(case=case, lifted_at__isnull=True).update(
        lifted_at=clock.now(), lifted_by=actor
    )
    if not lifted:
        raise OutreachError(_("Invitations for this person are not paused."))


@dataclass(frozen=True)
class ExtensionRequest:
    """What the applicant sent, checked: the person, contact, changes and files."""

    applicant: dict
    email: str
    address_change: str
    employment_change: str
    files: list[tuple[int | None, CheckedFile]]
    language: str


def apply_for_extension(case_id: int, expires_on: date, request: ExtensionRequest):
    """Open the extension case and issue its receipt at once, all in one transaction.

    The case the link names is locked first, so two submissions of the same permit
    queue; the second meets the application of the first (and the unique constraint
    would refuse it as well). An application after expiry is routed as urgent.
    """
    service = selectors.extension_service()
    if service is None:
        raise OutreachError(_("Online applications for extensions are not possible yet."))
    stored: list[str] = []
    try:
        with transaction.atomic():
            case = Case.objects.select_for_update().filter(pk=case_id).first()
            if case is None or selectors.invited_case(case_id, expires_on) is None:
                raise links.InvalidLink()
            if selectors.application_for_token(case_id, expires_on) is not None:
                raise AlreadyApplied(_already_applied())
            now = clock.now()
            before_expiry = clock.office_today() <= expires_on
            opened = case_services.open_case(
                service=service,
                applicant=request.applicant,
                urgency=Urgency.NORMAL if before_expiry else Urgency.CRITICAL,
                permit_expires_on=expires_on,
                permit_type=case.permit_type,
                contact_email=request.email,
                language=request.language,
                source="outreach-extension",
                files=request.files,
            )
            stored = list(opened.case.documents.values_list("stored_name", flat=True))
            application = _record(case, opened.case, expires_on, now, before_expiry, request)
            _note_changes(opened.case, request)
    except IntegrityError:
        _delete_files(stored)
        raise AlreadyApplied(_already_applied()) from None
    except Exception:
        _delete_files(stored)
        raise
    return application


def _already_applied() -> str:
    return _(
        "An application for this permit has already been made. Its receipt was sent by "
        "e-mail; the status page shows how it stands."
    )


def _delete_files(names):
    for name in names:  # the rows went with the rollback; so must the files
        default_storage.delete(name)


def _record(case, opened_case, expires_on, now, before_expiry, request):
    applicant = opened_case.persons.get(role=Person.Role.APPLICANT)
    with transaction.atomic():
        application = ExtensionApplication.objects.create(
            case=case,
            permit_expires_on=expires_on,
            opened_case=opened_case,
            applied_at=now,
            before_expiry=before_expiry,
            address_change=request.address_change,
            employment_change=request.employment_change,
            verification_code=new_verification_code(),
            initials=initials(applicant),
        )
    with translation.override(opened_case.language):
        verify_link = links.verification_url(application.verification_code)
        pdf = letters.receipt_pdf(application, applicant, verify_link)
        letter = letters.receipt_mail(
            application, applicant, case_services.status_page_link(opened_case)
        )
    application.receipt_pdf = pdf
    application.receipt_mail = queue_mail(
        to=opened_case.contact_email,
        subject=letter.subject,
        body=letter.body,
        attachments=[(f"Eingangsbestaetigung-{opened_case.reference}.pdf", pdf, "application/pdf")],
        dedupe_key=f"outreach:receipt:{application.pk}",
        language=opened_case.language,
    )
    application.save(update_fields=["receipt_pdf", "receipt_mail"])
    return application


def _note_changes(opened_case, request):
    """Changes the applicant reported, where the clerk reads the case."""
    lines = []
    if request.address_change:
        lines.append("Neue Anschrift: " + request.address_change)
    if request.employment_change:
        lines.append("Änderung der Beschäftigung: " + request.employment_change)
    if lines:
        case_services.add_note(opened_case, text="\n".join(lines), author=None)


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def initials(person) -> str:
    """ "A. H." for Amina Haddad: all the verification page tells of a person."""
    parts = [person.given_name.strip()[:1], person.family_name.strip()[:1]]
    return " ".join(f"{p.upper()}." for p in parts if p)
