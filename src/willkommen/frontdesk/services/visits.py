"""What every front-desk use case shares: the errors, the locked visit, the one way a
visit's status changes (``transition``) and the one way its event is appended (``record``).

Every status change goes through ``transition`` (the table in states.py) on a row
locked inside the transaction, so a stale page or a second clerk acting on the
same visit gets a clear error and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from willkommen.catalog.models import Location, Service
from willkommen.core import clock
from willkommen.frontdesk import live, tickets
from willkommen.frontdesk.models import Priority, Visit, VisitTransition, WorkItem
from willkommen.frontdesk.states import TABLE, Action, TransitionNotAllowed


class FrontdeskError(Exception):
    """A request the front desk refuses; the message is for the member of staff."""


class QueueEmpty(FrontdeskError):
    pass


@dataclass(frozen=True)
class WorkItemLine:
    service: Service
    person: str
    person_present: bool = True


def priority_rank(priority: str) -> int:
    """Position of ``priority`` in FRONTDESK_PRIORITY_ORDER (lower is called first)."""
    return settings.FRONTDESK_PRIORITY_ORDER.index(priority)


def transition_row(
    visit: Visit, action: str, from_status: str, *, actor, at=None, counter=None, note=""
) -> VisitTransition:
    """The event of one change of ``visit`` (already moved to its new status), unsaved."""
    return VisitTransition(
        visit=visit,
        action=action,
        from_status=from_status,
        to_status=visit.status,
        at=at or clock.now(),
        actor=actor,
        counter=counter,
        team_id=visit.team_id,
        note=note[:300],
    )


def record(visit: Visit, action: str, from_status: str, **event) -> VisitTransition:
    """Append the event of a change (the visit's history; KPIs are counted from it)."""
    row = transition_row(visit, action, from_status, **event)
    row.save()
    return row


def locked(visit_id: int) -> Visit:
    visit = (
        Visit.objects.select_for_update(of=("self",))
        .select_related("location", "service", "team")
        .filter(pk=visit_id)
        .first()
    )
    if visit is None:
        raise FrontdeskError(_("This visit does not exist."))
    return visit


def transition(visit: Visit, action: str, *, actor, counter=None, note="", **changes) -> Visit:
    """Move the locked ``visit`` along the table and record it; refused edges change nothing."""
    from_status = visit.status
    visit.status = TABLE.target(from_status, action)
    for name, value in changes.items():
        setattr(visit, name, value)
    visit.save()
    record(visit, action, from_status, actor=actor, counter=counter, note=note)
    if action in (Action.CALL, Action.RECALL):
        live.announce(visit.location_id)
    return visit


def check_persons(count: int) -> None:
    if not 1 <= count <= 20:
        raise FrontdeskError(_("Enter between 1 and 20 persons present."))


def create_visit(
    action: str,
    *,
    location: Location,
    service: Service,
    persons_present: int,
    actor,
    origin: str,
    priority: str,
    emergency_reason: str = "",
    queued_at: datetime | None = None,
    note: str = "",
    **fields,
) -> Visit:
    """A new visit with today's next ticket number, started by ``action`` (issue or settle)."""
    if not location.is_active or not service.is_active:
        raise FrontdeskError(_("This location or service is not active."))
    check_persons(persons_present)
    emergency_reason = emergency_reason.strip()
    if priority == Priority.EMERGENCY and not emergency_reason:
        raise FrontdeskError(_("Give the reason for the emergency."))
    now = clock.now()
    day = clock.local_today(location.timezone)
    prefix = tickets.ticket_prefix(service)
    visit = Visit(
        location=location,
        service_day=day,
        ticket_prefix=prefix,
        ticket_number=tickets.next_number(location, day, prefix),
        service=service,
        team_id=service.team_id,
        origin=origin,
        priority=priority,
        priority_rank=priority_rank(priority),
        emergency_reason=emergency_reason if priority == Priority.EMERGENCY else "",
        persons_present=persons_present,
        status=TABLE.start(action),
        created_at=now,
        queued_at=queued_at or now,
        note=note.strip()[:500],
        **fields,
    )
    visit.save()
    record(visit, action, "", actor=actor, note=emergency_reason)
    return visit


def validate_work(lines: list[WorkItemLine], persons_present: int) -> None:
    if not lines:
        raise FrontdeskError(_("Record at least one work item: who the work was for and what."))
    present = {line.person.strip().casefold() for line in lines if line.person_present}
    if len(present) > persons_present:
        raise FrontdeskError(
            _("%(present)d persons are marked present in the work items, but only %(count)d came.")
            % {"present": len(present), "count": persons_present}
        )


def work_rows(visit: Visit, lines: list[WorkItemLine], actor, at) -> list[WorkItem]:
    return [
        WorkItem(
            visit=visit,
            service=line.service,
            person=line.person.strip()[:80] or _("person %(n)d") % {"n": index},
            person_present=line.person_present,
            recorded_at=at,
            recorded_by=actor,
        )
        for index, line in enumerate(lines, start=1)
    ]


def store_work(visit: Visit, lines: list[WorkItemLine], actor) -> None:
    WorkItem.objects.bulk_create(work_rows(visit, lines, actor, clock.now()))


def ticket_of(visit: Visit) -> dict:
    return {"ticket": visit.ticket, "status": visit.get_status_display()}


__all__ = ["FrontdeskError", "QueueEmpty", "TransitionNotAllowed", "WorkItemLine"]
