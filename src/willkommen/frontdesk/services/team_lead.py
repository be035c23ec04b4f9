"""The team lead steers the queue: another priority, another team's queue."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from willkommen.accounts.models import Team
from willkommen.frontdesk.models import Priority, Visit
from willkommen.frontdesk.services.visits import (
    FrontdeskError,
    locked,
    priority_rank,
    ticket_of,
    transition,
)
from willkommen.frontdesk.states import QUEUED, Action


def _queued_or_error(visit: Visit) -> None:
    if visit.status not in QUEUED:
        raise FrontdeskError(
            _("Ticket %(ticket)s is no longer waiting (it is %(status)s).") % ticket_of(visit)
        )


@transaction.atomic
def reprioritise(visit_id: int, *, actor, priority: str, reason: str = "") -> Visit:
    visit = locked(visit_id)
    _queued_or_error(visit)
    if priority not in Priority.values:
        raise FrontdeskError(_("Unknown priority."))
    reason = reason.strip()
    if priority == Priority.EMERGENCY and not reason:
        raise FrontdeskError(_("Give the reason for the emergency."))
    return transition(
        visit,
        Action.REPRIORITISE,
        actor=actor,
        note=f"{priority}: {reason}" if reason else priority,
        priority=priority,
        priority_rank=priority_rank(priority),
        emergency_reason=reason if priority == Priority.EMERGENCY else "",
    )


@transaction.atomic
def reassign(visit_id: int, *, actor, team: Team) -> Visit:
    visit = locked(visit_id)
    _queued_or_error(visit)
    if not team.is_active:
        raise FrontdeskError(_("This team is not active."))
    return transition(visit, Action.REASSIGN, actor=actor, note=team.slug, team=team)
