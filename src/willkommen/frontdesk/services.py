"""Writes of the front desk: one function per use case, each in one transaction.

Every status change goes through ``_transition`` (the table in states.py) on a
row locked inside the transaction, so a stale page or a second clerk acting on
the same visit gets a clear error and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from willkommen.accounts.models import Team
from willkommen.booking import services as booking_services
from willkommen.booking.errors import REFUSED as BOOKING_REFUSED
from willkommen.booking.models import Appointment
from willkommen.booking.states import Status as AppointmentStatus
from willkommen.catalog.models import Counter, Location, Service
from willkommen.core import clock
from willkommen.frontdesk import live, selectors, states
from willkommen.frontdesk.models import (
    CounterSession,
    Origin,
    Priority,
    TicketCounter,
    TicketSeries,
    Visit,
    VisitTransition,
    WorkItem,
)
from willkommen.frontdesk.states import Action, Status, TransitionNotAllowed


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


def ticket_prefix(service: Service) -> str:
    series = TicketSeries.objects.filter(category_id=service.category_id).first()
    if series is not None:
        return series.prefix
    # Without a configured series the group's initial keeps groups apart well enough.
    return (service.category.slug[:1] or "W").upper()


def _allocate_number(location: Location, day, prefix: str) -> int:
    """The next number of (location, day, prefix), race-free inside the caller's transaction."""
    try:
        with transaction.atomic():
            TicketCounter.objects.get_or_create(location=location, day=day, prefix=prefix)
    except IntegrityError:  # another transaction created it a moment ago
        pass
    # The UPDATE holds the row lock (PostgreSQL) / write lock (SQLite) until commit.
    TicketCounter.objects.filter(location=location, day=day, prefix=prefix).update(
        last_number=F("last_number") + 1
    )
    return (
        TicketCounter.objects.filter(location=location, day=day, prefix=prefix)
        .values_list("last_number", flat=True)
        .get()
    )


def _record(visit: Visit, action: str, from_status: str, *, actor, counter=None, note=""):
    VisitTransition.objects.create(
        visit=visit,
        action=action,
        from_status=from_status,
        to_status=visit.status,
        at=clock.now(),
        actor=actor,
        counter=counter,
        team_id=visit.team_id,
        note=note[:300],
    )


def _check_persons(count: int) -> None:
    if not 1 <= count <= 20:
        raise FrontdeskError(_("Enter between 1 and 20 persons present."))


def _create_visit(
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
    if not location.is_active or not service.is_active:
        raise FrontdeskError(_("This location or service is not active."))
    _check_persons(persons_present)
    emergency_reason = emergency_reason.strip()
    if priority == Priority.EMERGENCY and not emergency_reason:
        raise FrontdeskError(_("Give the reason for the emergency."))
    now = clock.now()
    day = clock.local_today(location.timezone)
    prefix = ticket_prefix(service)
    visit = Visit(
        location=location,
        service_day=day,
        ticket_prefix=prefix,
        ticket_number=_allocate_number(location, day, prefix),
        service=service,
        team_id=service.team_id,
        origin=origin,
        priority=priority,
        priority_rank=priority_rank(priority),
        emergency_reason=emergency_reason if priority == Priority.EMERGENCY else "",
        persons_present=persons_present,
        status=states.INITIAL[action],
        created_at=now,
        queued_at=queued_at or now,
        note=note.strip()[:500],
        **fields,
    )
    visit.save()
    _record(visit, action, "", actor=actor, note=emergency_reason)
    return visit


@transaction.atomic
def issue_ticket(
    *,
    location: Location,
    service: Service,
    persons_present: int,
    actor,
    emergency: bool = False,
    emergency_reason: str = "",
    note: str = "",
) -> Visit:
    """A walk-in ticket; an emergency ticket (reason required) jumps the queue."""
    priority = Priority.EMERGENCY if emergency else Priority.WALK_IN
    return _create_visit(
        Action.ISSUE,
        location=location,
        service=service,
        persons_present=persons_present,
        actor=actor,
        origin=Origin.WALK_IN,
        priority=priority,
        emergency_reason=emergency_reason,
        note=note,
    )


@transaction.atomic
def check_in(*, appointment: Appointment, actor, persons_present: int | None = None) -> Visit:
    """The applicant of ``appointment`` has arrived: check in (booking) and queue a visit.

    An early arrival waits for the appointment's start before it counts as due;
    a late one queues from its arrival, not from its booked time.
    """
    try:
        appointment = booking_services.check_in(appointment, actor=actor)
    except BOOKING_REFUSED as exc:
        appointment.refresh_from_db()
        context = {"reference": appointment.reference, "status": appointment.get_status_display()}
        if exc.code == "wrong_day":
            message = _("Appointment %(reference)s is not today. Nothing was changed.")
        elif exc.code == "transition_not_allowed":
            message = _(
                "Appointment %(reference)s cannot be checked in (it is %(status)s). "
                "Nothing was changed."
            )
        else:
            message = str(exc.message)
        raise FrontdeskError(message % context) from exc
    now = clock.now()
    return _create_visit(
        Action.ISSUE,
        location=appointment.location,
        service=appointment.service,
        persons_present=persons_present or appointment.persons,
        actor=actor,
        origin=Origin.APPOINTMENT,
        priority=Priority.APPOINTMENT,
        queued_at=max(now, appointment.starts_at),
        appointment=appointment,
    )


def mark_no_shows(*, now: datetime | None = None) -> int:
    """Appointments not checked in FRONTDESK_APPOINTMENT_NO_SHOW_MINUTES after their start.

    Each in its own transaction; one that was checked in meanwhile is left alone
    (booking refuses the transition on the locked row).
    """
    now = now or clock.now()
    cutoff = now - timedelta(minutes=settings.FRONTDESK_APPOINTMENT_NO_SHOW_MINUTES)
    due = Appointment.objects.filter(status=AppointmentStatus.CONFIRMED, starts_at__lte=cutoff)
    marked = 0
    for appointment in due.order_by("starts_at")[:1000]:
        try:
            booking_services.record_no_show(appointment, actor=None)
        except BOOKING_REFUSED:
            continue
        marked += 1
    return marked


def close_past_days(*, now: datetime | None = None) -> int:
    """Visits of earlier days still waiting or called: closed as left or no-show.

    A visit being served stays as it is: its clerk sees it again and finishes it
    with its work items (they are the count that matters).
    """
    closed = 0
    for location in Location.objects.all():
        today = clock.local_today(location.timezone)
        stale = Visit.objects.filter(location=location, service_day__lt=today).exclude(
            status__in=[*states.TERMINAL, Status.SERVING]
        )
        for visit_id in stale.values_list("pk", flat=True)[:5000]:
            with transaction.atomic():
                visit = _locked(visit_id)
                action = Action.NO_SHOW if visit.status == Status.CALLED else Action.LEAVE
                if (visit.status, action) not in states.TRANSITIONS:
                    continue
                _transition(
                    visit, action, actor=None, note="end of day", clerk=None, counter_id=None
                )
                closed += 1
    return closed


def _validate_work(lines: list[WorkItemLine], persons_present: int) -> None:
    if not lines:
        raise FrontdeskError(_("Record at least one work item: who the work was for and what."))
    present = {line.person.strip().casefold() for line in lines if line.person_present}
    if len(present) > persons_present:
        raise FrontdeskError(
            _("%(present)d persons are marked present in the work items, but only %(count)d came.")
            % {"present": len(present), "count": persons_present}
        )


def _store_work(visit: Visit, lines: list[WorkItemLine], actor) -> None:
    now = clock.now()
    WorkItem.objects.bulk_create(
        WorkItem(
            visit=visit,
            service=line.service,
            person=line.person.strip()[:80] or _("person %(n)d") % {"n": index},
            person_present=line.person_present,
            recorded_at=now,
            recorded_by=actor,
        )
        for index, line in enumerate(lines, start=1)
    )


@transaction.atomic
def settle_at_reception(
    *,
    location: Location,
    service: Service,
    persons_present: int,
    work_items: list[WorkItemLine],
    actor,
    interim_certificate: bool = False,
    repeat_visit: bool = False,
    note: str = "",
) -> Visit:
    """A short matter done at the desk: a visit that starts and ends at reception."""
    if not service.short_matter:
        raise FrontdeskError(_("This service is not a short matter; issue a ticket instead."))
    _validate_work(work_items, persons_present)
    visit = _create_visit(
        Action.SETTLE,
        location=location,
        service=service,
        persons_present=persons_present,
        actor=actor,
        origin=Origin.RECEPTION,
        priority=Priority.WALK_IN,
        interim_certificate=interim_certificate,
        repeat_visit=repeat_visit,
        note=note,
    )
    _store_work(visit, work_items, actor)
    return visit


@transaction.atomic
def record_document_check(visit_id: int, *, present_item_ids: set[int], actor) -> Visit:
    """Note which checklist documents are missing (only while the visitor waits)."""
    visit = _locked(visit_id)
    if visit.status in states.TERMINAL:
        raise FrontdeskError(_("This visit is closed; its documents can no longer be checked."))
    missing = [
        {"id": item.pk, "title": item.title, "required": item.required}
        for item in visit.service.checklist.all()
        if item.pk not in present_item_ids
    ]
    visit.missing_documents = missing
    visit.documents_checked_at = clock.now()
    visit.save(update_fields=["missing_documents", "documents_checked_at"])
    return visit


# --- the clerk's workstation ------------------------------------------------


@transaction.atomic
def sign_in(*, user, counter: Counter) -> CounterSession:
    if not counter.is_active or not counter.location.is_active:
        raise FrontdeskError(_("This counter is not in use."))
    now = clock.now()
    current = (
        CounterSession.objects.select_for_update(of=("self",))  # not counter and location
        .select_related("counter__location")
        .filter(user=user, ended_at=None)
        .first()
    )
    if current is not None:
        if not _is_of_today(current):
            _end_stale(current)
        elif current.counter_id == counter.pk:
            return current
        else:
            _end(current, now)
    occupied = (
        CounterSession.objects.select_for_update(of=("self",))  # not counter and location
        .select_related("counter__location")
        .filter(counter=counter, ended_at=None)
        .first()
    )
    if occupied is not None and not _is_of_today(occupied):
        _end_stale(occupied)
    elif occupied is not None:
        raise FrontdeskError(_("Someone else is signed in at %(counter)s.") % {"counter": counter})
    try:
        with transaction.atomic():
            return CounterSession.objects.create(counter=counter, user=user, started_at=now)
    except IntegrityError:
        raise FrontdeskError(
            _("Someone else is signed in at %(counter)s.") % {"counter": counter}
        ) from None


def _is_of_today(session: CounterSession) -> bool:
    """A sign-in holds for the day it was made on (the location's day)."""
    return session.started_at >= selectors.start_of_day(session.counter.location)


def _end_stale(session: CounterSession) -> None:
    """A sign-in someone forgot to end: it ends at the midnight after it began."""
    tz = ZoneInfo(session.counter.location.timezone)
    day = session.started_at.astimezone(tz).date() + timedelta(days=1)
    session.ended_at = datetime.combine(day, time.min, tzinfo=tz)
    session.save(update_fields=["ended_at"])


def _end(session: CounterSession, now) -> None:
    if Visit.objects.filter(clerk=session.user, status__in=states.AT_COUNTER).exists():
        raise FrontdeskError(_("Finish or hand back the current visitor before signing out."))
    session.ended_at = now
    session.save(update_fields=["ended_at"])


@transaction.atomic
def sign_out(*, user) -> None:
    session = CounterSession.objects.select_for_update().filter(user=user, ended_at=None).first()
    if session is not None:
        _end(session, clock.now())


def current_session(user) -> CounterSession | None:
    """The user's sign-in of today; one left open from an earlier day does not count."""
    session = (
        CounterSession.objects.select_related("counter__location", "counter__team")
        .filter(user=user, ended_at=None)
        .first()
    )
    return session if session is not None and _is_of_today(session) else None


def _session_or_error(user) -> CounterSession:
    session = current_session(user)
    if session is None:
        raise FrontdeskError(_("Sign in at a counter first."))
    return session


def queue_for(session: CounterSession):
    """The visitors this counter serves, in calling order (see selectors.ordered)."""
    counter = session.counter
    team_ids = [counter.team_id] if counter.team_id else None
    if team_ids is None:
        team_ids = list(session.user.teams.values_list("pk", flat=True)) or None
    return selectors.queue_of(counter.location, team_ids)


def _ensure_free(user) -> None:
    busy = Visit.objects.filter(clerk=user, status__in=states.AT_COUNTER).first()
    if busy is not None:
        raise FrontdeskError(
            _("You are already serving %(ticket)s. Finish, hold or hand it back first.")
            % {"ticket": busy.ticket}
        )


def _locked(visit_id: int) -> Visit:
    visit = (
        Visit.objects.select_for_update(of=("self",))
        .select_related("location", "service", "team")
        .filter(pk=visit_id)
        .first()
    )
    if visit is None:
        raise FrontdeskError(_("This visit does not exist."))
    return visit


def _transition(visit: Visit, action: str, *, actor, counter=None, note="", **changes) -> Visit:
    """Move the locked ``visit`` along the table and record it; refused edges change nothing."""
    from_status = visit.status
    visit.status = states.target(from_status, action)
    for name, value in changes.items():
        setattr(visit, name, value)
    visit.save()
    _record(visit, action, from_status, actor=actor, counter=counter, note=note)
    if action in (Action.CALL, Action.RECALL):
        live.announce(visit.location_id)
    return visit


def _call(visit: Visit, session: CounterSession, action=Action.CALL) -> Visit:
    now = clock.now()
    try:
        with transaction.atomic():
            return _transition(
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
    session = _session_or_error(user)
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
    session = _session_or_error(user)
    _ensure_free(user)
    visit = _locked(visit_id)
    if visit.status == Status.ON_HOLD and visit.clerk_id != user.pk:
        raise FrontdeskError(_("Ticket %(ticket)s is on hold with another clerk.") % _ticket(visit))
    if visit.location_id != session.counter.location_id:
        raise FrontdeskError(_("This visitor waits at another location."))
    return _call(visit, session)


def _ticket(visit: Visit) -> dict:
    return {"ticket": visit.ticket, "status": visit.get_status_display()}


def _own(visit_id: int, user) -> tuple[Visit, CounterSession]:
    session = _session_or_error(user)
    visit = _locked(visit_id)
    if visit.clerk_id != user.pk:
        raise FrontdeskError(
            _("Ticket %(ticket)s is not with you (it is %(status)s). Nothing was changed.")
            % _ticket(visit)
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
    return _transition(
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
    return _transition(visit, Action.NO_SHOW, actor=user, counter=session.counter)


@transaction.atomic
def start(visit_id: int, *, user) -> Visit:
    visit, session = _own(visit_id, user)
    return _transition(visit, Action.START, actor=user, counter=session.counter, call_count=0)


@transaction.atomic
def hold(visit_id: int, *, user, note: str = "") -> Visit:
    visit, session = _own(visit_id, user)
    return _transition(visit, Action.HOLD, actor=user, counter=session.counter, note=note)


@transaction.atomic
def resume(visit_id: int, *, user) -> Visit:
    visit, session = _own(visit_id, user)
    _ensure_free(user)
    return _transition(visit, Action.RESUME, actor=user, counter=session.counter)


@transaction.atomic
def transfer(visit_id: int, *, user, team: Team, note: str = "") -> Visit:
    """To another team's queue, keeping the ticket number and the place in time."""
    visit, session = _own(visit_id, user)
    if team.pk == visit.team_id:
        raise FrontdeskError(_("The visitor is already in this team's queue."))
    if not team.is_active:
        raise FrontdeskError(_("This team is not active."))
    return _transition(
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
    states.target(visit.status, Action.FINISH)  # refuse before validating the lines
    _check_persons(persons_present)
    _validate_work(work_items, persons_present)
    visit = _transition(
        visit,
        Action.FINISH,
        actor=user,
        counter=session.counter,
        persons_present=persons_present,
        interim_certificate=interim_certificate,
        repeat_visit=repeat_visit,
    )
    _store_work(visit, work_items, user)
    return visit


@transaction.atomic
def record_left(visit_id: int, *, actor) -> Visit:
    """Reception: the visitor has gone home without being served."""
    visit = _locked(visit_id)
    return _transition(visit, Action.LEAVE, actor=actor, clerk=None, counter_id=None)


# --- team lead ---------------------------------------------------------------


def _queued_or_error(visit: Visit) -> None:
    if visit.status not in states.QUEUED:
        raise FrontdeskError(
            _("Ticket %(ticket)s is no longer waiting (it is %(status)s).") % _ticket(visit)
        )


@transaction.atomic
def reprioritise(visit_id: int, *, actor, priority: str, reason: str = "") -> Visit:
    visit = _locked(visit_id)
    _queued_or_error(visit)
    if priority not in Priority.values:
        raise FrontdeskError(_("Unknown priority."))
    reason = reason.strip()
    if priority == Priority.EMERGENCY and not reason:
        raise FrontdeskError(_("Give the reason for the emergency."))
    return _transition(
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
    visit = _locked(visit_id)
    _queued_or_error(visit)
    if not team.is_active:
        raise FrontdeskError(_("This team is not active."))
    return _transition(visit, Action.REASSIGN, actor=actor, note=team.slug, team=team)


__all__ = ["FrontdeskError", "QueueEmpty", "TransitionNotAllowed", "WorkItemLine"]


# --- demo data ---------------------------------------------------------------

DEMO_PREFIXES = {
    "aufenthalt": "A",
    "arbeit": "B",
    "familie": "F",
    "dokumente": "D",
    "einbuergerung": "E",
}
DEMO_WALK_INS = [
    "aufenthaltserlaubnis-verlaengern",
    "eat-abholung",
    "familiennachzug",
    "blaue-karte-eu",
]


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Ticket prefixes for the demo service groups, and a few visitors waiting today.

    Idempotent: prefixes are updated in place; visitors are only added at a
    location that has no visit yet today.
    """
    from willkommen.catalog.models import ServiceCategory

    counts = {"series": 0, "visits": 0}
    for slug, prefix in DEMO_PREFIXES.items():
        category = ServiceCategory.objects.filter(slug=slug).first()
        if category is None:
            continue
        TicketSeries.objects.filter(prefix=prefix).exclude(category=category).delete()
        TicketSeries.objects.update_or_create(category=category, defaults={"prefix": prefix})
        counts["series"] += 1
    services = list(Service.objects.active().filter(slug__in=DEMO_WALK_INS))
    for location in Location.objects.active():
        if Visit.objects.of_day(location, clock.local_today(location.timezone)).exists():
            continue
        for service in services:
            issue_ticket(location=location, service=service, persons_present=1, actor=None)
            counts["visits"] += 1
    return counts
