"""Calls and serving: call next (never one visitor to two clerks), recall, requeue,
no-show, start, hold, resume, transfer, and finish with the visit's work items."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from willkommen.accounts.models import Team
from willkommen.core import clock
from willkommen.frontdesk.models import CounterSession, Visit
from willkommen.frontdesk.services.visits import (
    FrontdeskError,
    QueueEmpty,
    WorkItemLine,
    check_persons,
    locked,
    store_work,
    ticket_of,
    transition,
    validate_work,
)
from willkommen.frontdesk.services.workstation import queue_for, session_or_error
from willkommen.frontdesk.states import AT_COUNTER, TABLE, Action, Status


def _ensure_free(user) -> None:
    busy = Visit.objects.filter(clerk=user, status__in=AT_COUNTER).first()
    if busy is not None:
        raise FrontdeskError(
            _("You are already serving %(ticket)s. Finish, hold or hand it back first.")
            % {"ticket": busy.ticket}
        )


def _call(visit: Visit, session: CounterSession, action=Action.CALL) -> Visit:
    now = clock.now()
    try:
        with transaction.atomic():
            return transition(
                visit,
                action,
                actor=session.user,
                counter=session.counter,
                clerk=session.user,
                counter_id=session.counter_id,
                call_count=visit.call_count + 1,
                last_called_at=now,
            )
    except IntegrityError:  # the partial unique index: this clerk already has someone
        raise FrontdeskError(_("You are already serving someone.")) from None


@transaction.atomic
def call_next(*, user) -> Visit:
    """Take the next visitor for the user's counter. Never gives one visitor to two clerks.

    On PostgreSQL the candidate row is locked with SKIP LOCKED, so a clerk calling
    at the same instant takes the next one instead of waiting or colliding; on
    SQLite the transaction holds the database's write lock from its start.
    """
    session = session_or_error(user)
    _ensure_free(user)
    visit = (
        queue_for(session).select_for_update(skip_locked=True, of=("self",)).select_related(None)
    ).first()
    if visit is None:
        raise QueueEmpty(_("Nobody is waiting for your counter."))
    return _call(visit, session)


@transaction.atomic
def call_visit(visit_id: int, *, user) -> Visit:
    """Call a specific visitor (picked from the list) or a held one again."""
    session = session_or_error(user)
    _ensure_free(user)
    visit = locked(visit_id)
    if visit.status == Status.ON_HOLD and visit.clerk_id != user.pk:
        raise FrontdeskError(
            _("Ticket %(ticket)s is on hold with another clerk.") % ticket_of(visit)
        )
    if visit.location_id != session.counter.location_id:
        raise FrontdeskError(_("This visitor waits at another location."))
    return _call(visit, session)


def _own(visit_id: int, user) -> tuple[Visit, CounterSession]:
    session = session_or_error(user)
    visit = locked(visit_id)
    if visit.clerk_id != user.pk:
        raise FrontdeskError(
            _("Ticket %(ticket)s is not with you (it is %(status)s). Nothing was changed.")
            % ticket_of(visit)
        )
    return visit, session


@transaction.atomic
def recall(visit_id: int, *, user) -> Visit:
    visit, session = _own(visit_id, user)
    return _call(visit, session, Action.RECALL)


@transaction.atomic
def requeue(visit_id: int, *, user) -> Visit:
    """Called but not here yet: back to the queue, to be called again later."""
    visit, session = _own(visit_id, user)
    return transition(
        visit, Action.REQUEUE, actor=user, counter=session.counter, clerk=None, counter_id=None
    )


@transaction.atomic
def record_no_show(visit_id: int, *, user) -> Visit:
    visit, session = _own(visit_id, user)
    needed = settings.FRONTDESK_NO_SHOW_AFTER_CALLS
    if visit.status == Status.CALLED and visit.call_count < needed:
        raise FrontdeskError(
            _("Call %(ticket)s at least %(needed)d times before recording a no-show.")
            % {"ticket": visit.ticket, "needed": needed}
        )
    return transition(visit, Action.NO_SHOW, actor=user, counter=session.counter)


@transaction.atomic
def start(visit_id: int, *, user) -> Visit:
    visit, session = _own(visit_id, user)
    return transition(visit, Action.START, actor=user, counter=session.counter, call_count=0)


@transaction.atomic
def hold(visit_id: int, *, user, note: str = "") -> Visit:
    visit, session = _own(visit_id, user)
    return transition(visit, Action.HOLD, actor=user, counter=session.counter, note=note)


@transaction.atomic
def resume(visit_id: int, *, user) -> Visit:
    visit, session = _own(visit_id, user)
    _ensure_free(user)
    return transition(visit, Action.RESUME, actor=user, counter=session.counter)


@transaction.atomic
def transfer(visit_id: int, *, user, team: Team, note: str = "") -> Visit:
    """To another team's queue, keeping the ticket number and the place in time."""
    visit, session = _own(visit_id, user)
    if team.pk == visit.team_id:
        raise FrontdeskError(_("The visitor is already in this team's queue."))
    if not team.is_active:
        raise FrontdeskError(_("This team is not active."))
    return transition(
        visit,
        Action.TRANSFER,
        actor=user,
        counter=session.counter,
        note=note,
        team=team,
        clerk=None,
        counter_id=None,
    )


@transaction.atomic
def finish(
    visit_id: int,
    *,
    user,
    persons_present: int,
    work_items: list[WorkItemLine],
    interim_certificate: bool = False,
    repeat_visit: bool = False,
) -> Visit:
    """Close the visit with the persons who came and the work items it produced."""
    visit, session = _own(visit_id, user)
    TABLE.target(visit.status, Action.FINISH)  # refuse before validating the lines
    check_persons(persons_present)
    validate_work(work_items, persons_present)
    visit = transition(
        visit,
        Action.FINISH,
        actor=user,
        counter=session.counter,
        persons_present=persons_present,
        interim_certificate=interim_certificate,
        repeat_visit=repeat_visit,
    )
    store_work(visit, work_items, user)
    return visit
