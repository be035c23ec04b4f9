"""The bulk variant of opening and moving cases: cases of the past written at once.

For history that happened elsewhere (an import from the previous case system): each
case starts in its type's first status and walks the case type's transition table
(``cases.transitions``) with the recorded dates; its status history is the rows
``open_case`` and ``change_status`` would have appended, and "complete since",
"closed at" and the retention date follow from them as they would live. Thousands
go in a few INSERTs; no mail is sent (the applicants were told back then).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from willkommen.cases import codes, transitions
from willkommen.cases.errors import CaseError
from willkommen.cases.models import Case, Phase, StatusChange, StatusType
from willkommen.cases.services.references import CASE_PREFIX, allocate_reference
from willkommen.core import clock
from willkommen.core.states import TransitionNotAllowed

BATCH = 2000


@dataclass
class PastCase:
    """One case of the past: the unsaved row (type, team, received) and its statuses."""

    case: Case  # case_type, team, opened_at; reference "" for a new one of this system
    changes: list[tuple[StatusType, datetime]]  # in order; the first is the type's first
    actor: object  # who recorded it


@transaction.atomic
def record_past_cases(past: list[PastCase]) -> int:
    """Write ``past``; all or nothing. A case without a reference gets the next of the
    year it was received in. Returns the number of cases written."""
    statuses: dict[int, list[StatusType]] = {}
    cases, changes = [], []
    for entry in past:
        case = entry.case
        if case.case_type_id not in statuses:
            statuses[case.case_type_id] = list(case.case_type.statuses.order_by("position"))
        check_past_case(entry, statuses[case.case_type_id])
        cases.append(case)
        changes += [
            StatusChange(case=case, sequence=index, status=status, changed_at=at, actor=entry.actor)
            for index, (status, at) in enumerate(entry.changes, start=1)
        ]
    _allocate(cases)
    Case.objects.bulk_create(cases, batch_size=BATCH)
    StatusChange.objects.bulk_create(changes, batch_size=BATCH)
    return len(cases)


def check_past_case(entry: PastCase, statuses: list[StatusType]) -> None:
    """Check the status path along the case type's table (``statuses`` in order) and set
    the fields that follow from it; CaseError or TransitionNotAllowed when it cannot be."""
    now = clock.now()
    case = entry.case
    if not entry.changes:
        raise CaseError(_("A case needs at least the status it was received in."))
    machine = transitions.table(statuses)
    first, at = entry.changes[0]
    if not machine.initial or first.code != machine.start(transitions.OPEN):
        raise TransitionNotAllowed("", first.code, _("A case starts in its type's first status."))
    previous = (first, at)
    for status, changed_at in entry.changes[1:]:
        transitions.check_move(previous[0], status, statuses)
        if changed_at < previous[1]:
            raise CaseError(_("The status changes must be in the order of their dates."))
        previous = (status, changed_at)
    if previous[1] >= now or case.opened_at > at:
        raise CaseError(_("Only cases of the past can be recorded afterwards."))
    case.status = previous[0]
    case.completed_at = next((t for s, t in entry.changes if s.phase == Phase.COMPLETE), None)
    case.closed_at = previous[1] if previous[0].phase == Phase.CLOSED else None
    if case.closed_at:
        case.delete_after = localtime(case.closed_at).date() + timedelta(
            days=case.case_type.retention_days
        )


def _allocate(cases: list[Case]) -> None:
    """References for the new ones, from cases' own allocator; an access code for all."""
    by_year: dict[int, list[Case]] = {}
    for case in cases:
        if not case.reference:
            by_year.setdefault(case.opened_at.year, []).append(case)
    for year, items in by_year.items():
        last = int(allocate_reference(year=year, count=len(items)).rsplit("-", 1)[1])
        for number, case in enumerate(items, start=last - len(items) + 1):
            case.reference = f"{CASE_PREFIX}-{year}-{number:06d}"
    for case in cases:
        case.access_code_hash = codes.hash_code(case.reference, codes.new_access_code())


@transaction.atomic
def remove_past_cases(cases) -> int:
    """Take back cases written by ``record_past_cases`` (an import rolled back), with
    what hangs on them (status history, certificates, …). ``cases`` is a queryset."""
    cases = Case.objects.filter(pk__in=cases.values("pk"))
    StatusChange.objects.filter(case__in=cases).discard_imported()
    return cases.delete()[1].get(Case._meta.label, 0)
