"""Work on an open case: classification, assignment, notes, requests to other authorities,
interim certificates, and the access log that records every read."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from willkommen.cases.errors import CaseError
from willkommen.cases.models import (
    AccessLogEntry,
    AgencyRequest,
    Assignment,
    Case,
    ClassificationChange,
    Difficulty,
    InterimCertificate,
    Note,
    Urgency,
)
from willkommen.core import clock
from willkommen.core.i18n import supported_languages

# The cases a member of staff has opened in this working session (their login
# session): the access log records the first opening, not every reload.
OPENED_IN_SESSION = "cases_opened"


@transaction.atomic
def change_classification(case: Case, *, field: str, value: str, reason: str, actor) -> None:
    """Change the urgency, the difficulty or the language the case's mails are written in."""
    choices = {
        "urgency": Urgency.values,
        "difficulty": Difficulty.values,
        "language": supported_languages(),
    }
    if field not in choices or value not in choices[field]:
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
def assign(case: Case, *, team, clerk, actor, reason: str = "") -> None:
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
def add_note(case: Case, *, text: str, author) -> Note:
    if not text.strip():
        raise CaseError(_("The note is empty."))
    return Note.objects.create(case=case, author=author, text=text.strip(), created_at=clock.now())


@transaction.atomic
def add_agency_request(
    case: Case, *, agency: str, subject: str, sent_on: date, due_on: date | None, actor
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
    case: Case, *, number: str, issued_on: date, valid_until: date, actor
) -> InterimCertificate:
    if valid_until <= issued_on:
        raise CaseError(_("The certificate must be valid after the day it is issued."))
    return InterimCertificate.objects.create(
        case=case, number=number, issued_on=issued_on, valid_until=valid_until, issued_by=actor
    )


def log_access(case: Case, *, user, action: str, document=None) -> None:
    AccessLogEntry.objects.create(
        case=case, user=user, action=action, document=document, at=clock.now()
    )


def log_opened(case: Case, *, user, session) -> bool:
    """Log that ``user`` opened the case file, once per case and working session.

    ``session`` is the member of staff's login session (a new login is a new
    working session). Downloads are not folded in: each is logged by ``log_access``.
    Returns whether an entry was written.
    """
    opened = session.get(OPENED_IN_SESSION, [])
    if case.pk in opened:
        return False
    log_access(case, user=user, action=AccessLogEntry.Action.OPEN)
    session[OPENED_IN_SESSION] = [*opened[-499:], case.pk]
    return True
