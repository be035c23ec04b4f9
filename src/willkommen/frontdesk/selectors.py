"""Reads of the front desk that pages, displays and the ticket page share."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When

from willkommen.accounts.models import Team
from willkommen.catalog.models import Location
from willkommen.core import clock
from willkommen.frontdesk.models import CounterSession, Visit, VisitTransition, WorkItem
from willkommen.frontdesk.states import QUEUED, Action, Status

CALL_ACTIONS = (Action.CALL, Action.RECALL)
RATE_WINDOW = timedelta(minutes=60)
CALL_LOOKBACK = timedelta(seconds=30)  # far longer than any call's transaction
MIN_OBSERVED_STARTS = 3  # below this, estimate from planned durations instead


def start_of_day(location: Location) -> datetime:
    """The location's last midnight, as an aware datetime."""
    tz = ZoneInfo(location.timezone)
    return datetime.combine(clock.local_today(location.timezone), time.min, tzinfo=tz)


def ordered(visits):
    """Calling order: due first (an early appointment waits for its start), priority, time."""
    due = Case(
        When(queued_at__lte=clock.now(), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return visits.annotate(not_due=due).order_by("not_due", "priority_rank", "queued_at", "pk")


def queue_of(location: Location, team_ids=None):
    visits = Visit.objects.queued().of_day(location, clock.local_today(location.timezone))
    if team_ids:
        visits = visits.filter(team_id__in=team_ids)
    return ordered(visits)


# --- the display ------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    id: int
    ticket: str
    counter: str
    at: datetime

    def as_event(self) -> dict:
        return {
            "id": self.id,
            "ticket": self.ticket,
            "counter": self.counter,
            "at": self.at.isoformat(),
        }


def _calls(location: Location):
    return (
        VisitTransition.objects.filter(
            visit__location=location, action__in=CALL_ACTIONS, at__gte=start_of_day(location)
        )
        .select_related("visit", "counter")
        .only("id", "at", "visit__ticket_prefix", "visit__ticket_number", "counter__name")
    )


def _as_call(row: VisitTransition) -> Call:
    return Call(row.pk, row.visit.ticket, row.counter.name if row.counter else "", row.at)


def calls_after(location: Location, after_id: int, limit: int = 500) -> list[Call]:
    """Today's calls at ``location`` after ``after_id``, and all of the last half minute.

    Ids are taken when a transaction inserts, but transactions commit in any
    order on PostgreSQL: a call with a lower id can become visible after a higher
    one was read. So the recent ones are always read again, and readers drop the
    ids they already have.
    """
    recent = Q(pk__gt=after_id) | Q(at__gte=clock.now() - CALL_LOOKBACK)
    rows = _calls(location).filter(recent).order_by("pk")[:limit]
    return [_as_call(row) for row in rows]


def recent_calls(location: Location, count: int = 8) -> list[Call]:
    """The last ``count`` tickets called today, newest first, each ticket once."""
    seen, calls = set(), []
    for row in _calls(location).order_by("-pk")[: count * 4]:
        if row.visit_id in seen:
            continue
        seen.add(row.visit_id)
        calls.append(_as_call(row))
        if len(calls) == count:
            break
    return calls


# --- the queue overview and the ticket page ---------------------------------


def open_counters(location: Location, team: Team) -> int:
    """Counters of ``location`` with someone signed in who serves ``team``'s queue."""
    return (
        CounterSession.objects.filter(
            counter__location=location, ended_at=None, started_at__gte=start_of_day(location)
        )
        .filter(Q(counter__team=team) | Q(counter__team=None, user__teams=team))
        .values("counter")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class WaitEstimate:
    position: int  # visitors ahead
    minutes: int | None  # None: no counter open for this queue right now
    observed: bool  # from the recent serving rate (else from planned durations)
    open_counters: int


def estimate_wait(visit: Visit) -> WaitEstimate | None:
    """Position and expected wait of a queued visit, from what the queue did recently.

    With at least three visitors started in the last hour in this queue, the wait
    is (people ahead + 1) ÷ that observed rate; otherwise (people ahead + 1) ×
    the service's planned minutes ÷ the counters open for the queue.
    """
    if visit.status not in QUEUED:
        return None
    ids = list(queue_of(visit.location, [visit.team_id]).values_list("pk", flat=True))
    position = ids.index(visit.pk) if visit.pk in ids else len(ids)
    counters = open_counters(visit.location, visit.team)
    now = clock.now()
    since = max(now - RATE_WINDOW, start_of_day(visit.location))
    starts = list(
        VisitTransition.objects.filter(
            visit__location=visit.location, team=visit.team, action=Action.START, at__gte=since
        ).values_list("at", flat=True)
    )
    if len(starts) >= MIN_OBSERVED_STARTS:
        window = max((now - min(starts)).total_seconds() / 60, 1)
        per_minute = len(starts) / window
        minutes = (position + 1) / per_minute
        return WaitEstimate(position, _round_up(minutes), True, counters)
    if counters == 0:
        return WaitEstimate(position, None, False, 0)
    minutes = (position + 1) * visit.service.duration_minutes / counters
    return WaitEstimate(position, _round_up(minutes), False, counters)


def _round_up(minutes: float) -> int:
    """To whole five minutes: an estimate should not look more precise than it is."""
    return max(5, 5 * math.ceil(minutes / 5))


def visit_by_token(token: str) -> Visit | None:
    return (
        Visit.objects.select_related("location", "service", "team", "counter")
        .filter(token=token)
        .first()
    )


@dataclass(frozen=True)
class TeamQueue:
    team: Team
    waiting: int
    longest_wait_minutes: int
    open_counters: int


def overview(location: Location) -> tuple[list[TeamQueue], list[Visit]]:
    """Per team: waiting count, longest wait, counters open; and today's open visits."""
    now = clock.now()
    visits = list(
        Visit.objects.open()
        .of_day(location, clock.local_today(location.timezone))
        .select_related("service", "team", "counter", "clerk")
        .order_by("team__name", "priority_rank", "queued_at", "pk")
    )
    teams: dict[int, list[Visit]] = {}
    for visit in visits:
        teams.setdefault(visit.team_id, []).append(visit)
    rows = []
    for members in teams.values():
        team = members[0].team
        waiting = [v for v in members if v.status in QUEUED]
        longest = max(((now - v.created_at).total_seconds() / 60 for v in waiting), default=0)
        rows.append(TeamQueue(team, len(waiting), int(longest), open_counters(location, team)))
    return rows, visits


@dataclass(frozen=True)
class VisitTimes:
    waiting_minutes: float | None  # first queued → first called
    walking_minutes: float | None  # last call → serving started
    serving_minutes: float | None  # serving, without time on hold


def visit_times(visit: Visit) -> VisitTimes:
    """The visit's times, computed from its transitions (never from fields kept aside)."""
    rows = list(visit.transitions.order_by("at", "pk"))
    if not rows:
        return VisitTimes(None, None, None)
    first_call = next((r.at for r in rows if r.action == Action.CALL), None)
    waiting = (first_call - rows[0].at).total_seconds() / 60 if first_call else None
    walking = serving = None
    last_call = None
    serving_since = None
    serving_total = 0.0
    for row in rows:
        if row.action in CALL_ACTIONS:
            last_call = row.at
        if row.to_status == Status.SERVING and row.from_status != Status.SERVING:
            if row.action == Action.START and last_call and walking is None:
                walking = (row.at - last_call).total_seconds() / 60
            serving_since = row.at
        elif row.from_status == Status.SERVING and serving_since is not None:
            serving_total += (row.at - serving_since).total_seconds() / 60
            serving_since = None
    if serving_total or any(r.action == Action.FINISH for r in rows):
        serving = serving_total
    return VisitTimes(waiting, walking, serving)


def visits_of_today(location: Location) -> list[Visit]:
    return list(
        Visit.objects.of_day(location, clock.local_today(location.timezone))
        .select_related("service", "team", "counter", "appointment")
        .order_by("-created_at", "-pk")[:100]
    )


def current_visits(user) -> list[Visit]:
    """The visits a clerk has in hand: at the counter (at most one) and on hold."""
    return list(
        Visit.objects.filter(clerk=user, status__in=[Status.CALLED, Status.SERVING, Status.ON_HOLD])
        .select_related("service", "team", "counter", "location", "appointment")
        .order_by("status", "queued_at")
    )


def arrival_minutes(appointment, now: datetime) -> int:
    """Minutes early (negative) or late (positive) against the appointment's start."""
    return round((now - appointment.starts_at).total_seconds() / 60)


@dataclass(frozen=True)
class DayTotals:
    visits: int  # finished visits, incl. short matters settled at reception
    persons_present: int
    work_items: int
    interim_certificates: int
    repeat_visits: int


def day_totals(location: Location, day=None) -> DayTotals:
    """Persons who came versus the work items they caused, for one local day."""
    day = day or clock.local_today(location.timezone)
    done = Visit.objects.of_day(location, day).filter(status=Status.DONE)
    figures = done.aggregate(
        visits=Count("pk"),
        persons=Sum("persons_present"),
        interim=Count("pk", filter=Q(interim_certificate=True)),
        repeat=Count("pk", filter=Q(repeat_visit=True)),
    )
    items = WorkItem.objects.filter(visit__in=done).count()
    return DayTotals(
        figures["visits"], figures["persons"] or 0, items, figures["interim"], figures["repeat"]
    )
