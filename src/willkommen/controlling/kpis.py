"""Key figures (Kennzahlen) of the office, computed from what the apps recorded.

Every figure here is derived from the append-only records the other apps keep
(ARCHITECTURE invariant 3): visit transitions and work items (frontdesk),
appointment and emergency-request events and slots (booking), status histories
and interim certificates (cases). Nothing is counted aside, so a figure can
always be traced back to the rows it came from, and recomputed for any period.

A ``Scope`` says what to look at: a period of local days and, optionally, one
location, team or service. Days are the location's days (invariant 7); without
a location, the office's time zone (``OFFICE_TIME_ZONE``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery, Sum

from willkommen.accounts.models import Team
from willkommen.booking.models import Appointment, AppointmentEvent, EmergencyRequest, Slot
from willkommen.booking.models.emergency import RequestEvent
from willkommen.booking.selectors import next_free_times
from willkommen.booking.states import Action as AppointmentAction
from willkommen.booking.states import RequestAction
from willkommen.booking.states import Status as AppointmentStatus
from willkommen.cases.models import Case, InterimCertificate, Phase, StatusChange
from willkommen.catalog.models import Location, Service
from willkommen.controlling.outcomes import (
    OUTCOMES,
    SETTLED,
    HourRow,
    Outcomes,
    left_unserved_by_hour,
    outcome,
)
from willkommen.controlling.periods import Period
from willkommen.core import clock
from willkommen.core.i18n import tr
from willkommen.frontdesk.models import Origin, Priority, Visit, VisitTransition, WorkItem
from willkommen.frontdesk.states import Action as VisitAction

OFFICE_TIMEZONE = settings.OFFICE_TIME_ZONE
# "Served within the target": waiting time up to this many minutes.
WAIT_TARGET_MINUTES = 20
AGE_BUCKETS_DAYS = ((0, 28), (28, 56), (56, 91), (91, 182), (182, None))


@dataclass(frozen=True)
class Scope:
    period: Period
    location_id: int | None = None
    team_id: int | None = None
    service_id: int | None = None
    timezone: str = OFFICE_TIMEZONE

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.period.start, time.min, tzinfo=ZoneInfo(self.timezone))

    @property
    def ends_at(self) -> datetime:
        """The first instant after the period (exclusive end)."""
        return datetime.combine(
            self.period.end + timedelta(days=1), time.min, tzinfo=ZoneInfo(self.timezone)
        )

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(ZoneInfo(self.timezone)).date()

    def filter(self, *, location="location", team="team", service="service") -> Q:
        """The location/team/service restriction for a queryset, by field paths."""
        condition = Q()
        if self.location_id and location:
            condition &= Q(**{f"{location}_id": self.location_id})
        if self.team_id and team:
            condition &= Q(**{f"{team}_id": self.team_id})
        if self.service_id and service:
            condition &= Q(**{f"{service}_id": self.service_id})
        return condition


def quantile(values, q: float) -> float | None:
    """The q-quantile (0..1) with linear interpolation; None for no values."""
    if len(values) == 0:
        return None
    return float(np.quantile(np.asarray(values, dtype=float), q))


def share(part: int, whole: int) -> float | None:
    return None if not whole else part / whole


# --- visits and work items --------------------------------------------------


@dataclass
class VisitRow:
    label: str
    visits: int = 0
    persons: int = 0
    work_items: int = 0
    # Visits and persons by what became of them (``outcomes``): they add up to the above.
    outcomes: Outcomes = field(default_factory=Outcomes)
    persons_by_outcome: Outcomes = field(default_factory=Outcomes)

    def add(self, other: VisitRow) -> None:
        self.visits += other.visits
        self.persons += other.persons
        self.work_items += other.work_items
        for kind in OUTCOMES:
            self.outcomes.add(kind, other.outcomes[kind])
            self.persons_by_outcome.add(kind, other.persons_by_outcome[kind])


@dataclass
class VisitFigures:
    visits: int
    persons: int
    work_items: int
    outcomes: Outcomes
    persons_by_outcome: Outcomes
    repeat_visits: int
    by_day: list[tuple[date, VisitRow]]
    by_service: list[VisitRow]
    by_team: list[VisitRow]
    by_location: list[VisitRow]
    by_hour: list[HourRow]

    @property
    def settled_at_reception(self) -> int:
        return self.outcomes[SETTLED]

    @property
    def left_unserved(self) -> int:
        return self.outcomes.left_unserved


def _visits(scope: Scope):
    return Visit.objects.filter(
        scope.filter(), service_day__gte=scope.period.start, service_day__lte=scope.period.end
    )


DIMENSIONS = ("service_day", "service_id", "team_id", "location_id")


def visit_figures(scope: Scope) -> VisitFigures:
    """Persons who came and the work items they caused, side by side.

    A visit (Vorsprache) is one appearance at the office: a checked-in appointment,
    a walk-in ticket or a matter settled at reception; it counts the persons
    present, and is broken down by what became of it (``outcomes``: served,
    settled at reception, left unserved, still waiting), read from its
    transitions. Work items (Arbeitsvorgänge) are the lines the clerk or
    reception recorded: one per person the work was for and service performed.

    Grouped queries (visits by outcome, work items) by day, service, team and
    location; the totals and the breakdowns are summed from them.
    """
    visits = _visits(scope)
    cells = (
        visits.annotate(outcome=outcome())
        .values(*DIMENSIONS, "outcome")
        .annotate(
            n=Count("id"),
            persons=Sum("persons_present"),
            repeat=Count("id", filter=Q(repeat_visit=True)),
        )
    )
    work = (
        WorkItem.objects.filter(visit__in=visits)
        .values(*(f"visit__{name}" for name in DIMENSIONS))
        .annotate(n=Count("id"))
    )
    groups: dict[str, dict] = {name: defaultdict(lambda: VisitRow("")) for name in DIMENSIONS}
    total = VisitRow("")
    repeat = 0
    for cell in cells.order_by():
        persons = cell["persons"] or 0
        for row in [total, *(groups[name][cell[name]] for name in DIMENSIONS)]:
            row.visits += cell["n"]
            row.persons += persons
            row.outcomes.add(cell["outcome"], cell["n"])
            row.persons_by_outcome.add(cell["outcome"], persons)
        repeat += cell["repeat"]
    for cell in work.order_by():
        for name in DIMENSIONS:
            groups[name][cell[f"visit__{name}"]].work_items += cell["n"]
        total.work_items += cell["n"]
    by_day = groups["service_day"]
    return VisitFigures(
        visits=total.visits,
        persons=total.persons,
        work_items=total.work_items,
        outcomes=total.outcomes,
        persons_by_outcome=total.persons_by_outcome,
        repeat_visits=repeat,
        by_day=[(day, by_day.get(day) or VisitRow("")) for day in scope.period.dates()],
        by_service=_labelled(groups["service_id"], Service),
        by_team=_labelled(groups["team_id"], Team),
        by_location=_labelled(groups["location_id"], Location),
        by_hour=left_unserved_by_hour(visits, scope.timezone),
    )


def _labelled(rows: dict, model) -> list[VisitRow]:
    """Name the rows after their objects (in the current language), busiest first."""
    objects = model.objects.in_bulk(list(rows))
    for pk, row in rows.items():
        row.label = str(objects[pk]) if pk in objects else "–"
    return sorted(rows.values(), key=lambda row: (-row.visits, row.label))


# --- waiting and serving times ----------------------------------------------


@dataclass
class TimeRow:
    priority: str  # a Priority value, or "" for all visits
    called: int
    wait_median: float | None  # minutes
    wait_p90: float | None
    within_target: float | None  # share of called visits
    served: int
    serve_median: float | None
    serve_p90: float | None


def visit_durations(scope: Scope) -> dict[int, dict]:
    """Per visit: priority, minutes waited (ticket → first call) and served (start → finish).

    Read from the transitions only. A visit transferred to another team is
    served from its first start to its last finish: the applicant's time at the office.
    """
    actions = (VisitAction.ISSUE, VisitAction.CALL, VisitAction.START, VisitAction.FINISH)
    rows = (
        VisitTransition.objects.filter(visit__in=_visits(scope), action__in=actions)
        .order_by("at", "id")
        .values_list("visit_id", "visit__priority", "action", "at")
    )
    marks: dict[int, dict] = {}
    for visit_id, priority, action, at in rows:
        mark = marks.setdefault(visit_id, {"priority": priority})
        if action == VisitAction.FINISH:
            mark["finish"] = at
        else:
            mark.setdefault(action, at)
    durations = {}
    for visit_id, mark in marks.items():
        issued, called = mark.get(VisitAction.ISSUE), mark.get(VisitAction.CALL)
        started, finished = mark.get(VisitAction.START), mark.get("finish")
        durations[visit_id] = {
            "priority": mark["priority"],
            "wait": (called - issued).total_seconds() / 60 if issued and called else None,
            "serve": (finished - started).total_seconds() / 60 if started and finished else None,
        }
    return durations


def time_figures(scope: Scope, target_minutes: int = WAIT_TARGET_MINUTES) -> list[TimeRow]:
    durations = visit_durations(scope).values()
    rows = []
    for priority in ["", *Priority.values]:
        chosen = [d for d in durations if not priority or d["priority"] == priority]
        waits = [d["wait"] for d in chosen if d["wait"] is not None]
        serves = [d["serve"] for d in chosen if d["serve"] is not None]
        rows.append(
            TimeRow(
                priority=priority,
                called=len(waits),
                wait_median=quantile(waits, 0.5),
                wait_p90=quantile(waits, 0.9),
                within_target=share(sum(1 for w in waits if w <= target_minutes), len(waits)),
                served=len(serves),
                serve_median=quantile(serves, 0.5),
                serve_p90=quantile(serves, 0.9),
            )
        )
    return rows


# --- appointments -------------------------------------------------------------


@dataclass
class AppointmentRow:
    label: str
    booked: int = 0
    kept: int = 0
    no_show: int = 0
    cancelled: int = 0
    lead_days: list[float] = field(default_factory=list)

    @property
    def lead_median(self) -> float | None:
        return quantile(self.lead_days, 0.5)


@dataclass
class AppointmentFigures:
    offered: int | None  # None when filtered by service: capacity is not per service
    unconfirmed: int  # online holds that expired without confirmation
    total: AppointmentRow
    by_service: list[AppointmentRow]


def appointment_figures(scope: Scope) -> AppointmentFigures:
    """Offered (capacity of the slots), booked, kept, no-show, cancelled; lead time.

    An appointment counts in the period of its (last) time. "Booked" means it was
    confirmed; what happened to it comes from its events; the lead time runs from
    booking to the appointment, the wait an applicant had.
    """
    # Capacity belongs to a location (and a team), not to a service.
    offered = None
    if not scope.service_id:
        offered = (
            Slot.objects.filter(
                scope.filter(service=None),
                starts_at__gte=scope.starts_at,
                starts_at__lt=scope.ends_at,
            ).aggregate(total=Sum("capacity"))["total"]
            or 0
        )
    appointments = Appointment.objects.filter(
        scope.filter(team="service__team"),
        starts_at__gte=scope.starts_at,
        starts_at__lt=scope.ends_at,
    )
    events = AppointmentEvent.objects.filter(appointment__in=appointments).values_list(
        "appointment_id", "action", "to_status", "at"
    )
    reached: dict[int, set] = defaultdict(set)
    booked_at: dict[int, datetime] = {}
    for appointment_id, action, to_status, at in events:
        reached[appointment_id].add(action)
        # Online holds are booked when the applicant confirms; staff and emergency
        # bookings are created confirmed.
        if action == AppointmentAction.CONFIRM or (
            action == AppointmentAction.CREATE and to_status == AppointmentStatus.CONFIRMED
        ):
            booked_at.setdefault(appointment_id, at)
    total = AppointmentRow("")
    per_service: dict[int, AppointmentRow] = {}
    unconfirmed = 0
    for appointment in appointments.values("id", "service_id", "service__name", "starts_at"):
        actions = reached[appointment["id"]]
        if appointment["id"] not in booked_at:
            unconfirmed += AppointmentAction.EXPIRE in actions
            continue
        row = per_service.setdefault(
            appointment["service_id"], AppointmentRow(tr(appointment["service__name"]))
        )
        for target in (total, row):
            target.booked += 1
            target.kept += AppointmentAction.CHECK_IN in actions
            target.no_show += (
                AppointmentAction.NO_SHOW in actions and AppointmentAction.CHECK_IN not in actions
            )
            target.cancelled += AppointmentAction.CANCEL in actions
            lead = appointment["starts_at"] - booked_at[appointment["id"]]
            target.lead_days.append(lead.total_seconds() / 86400)
    return AppointmentFigures(
        offered=offered,
        unconfirmed=unconfirmed,
        total=total,
        by_service=sorted(per_service.values(), key=lambda r: -r.booked),
    )


# --- emergency requests -------------------------------------------------------


@dataclass
class EmergencyFigures:
    received: int
    accepted: int
    rejected: int
    open: int
    answer_hours_median: float | None
    answer_hours_p90: float | None
    by_reason: list[tuple[str, int]]


def emergency_figures(scope: Scope) -> EmergencyFigures:
    """Requests received in the period; how they were answered and how fast (from events)."""
    requests = EmergencyRequest.objects.filter(
        scope.filter(team="service__team"),
        created_at__gte=scope.starts_at,
        created_at__lt=scope.ends_at,
    )
    submitted, answered = {}, {}
    for request_id, action, at in RequestEvent.objects.filter(request__in=requests).values_list(
        "request_id", "action", "at"
    ):
        if action == RequestAction.SUBMIT:
            submitted[request_id] = at
        elif action in (RequestAction.ACCEPT, RequestAction.REJECT):
            answered[request_id] = (action, at)
    hours = [
        (at - submitted[request_id]).total_seconds() / 3600
        for request_id, (_action, at) in answered.items()
        if request_id in submitted
    ]
    outcomes = Counter(action for action, _at in answered.values())
    reasons = Counter(requests.values_list("reason", flat=True))
    return EmergencyFigures(
        received=len(submitted),
        accepted=outcomes[RequestAction.ACCEPT],
        rejected=outcomes[RequestAction.REJECT],
        open=len(submitted) - len(answered),
        answer_hours_median=quantile(hours, 0.5),
        answer_hours_p90=quantile(hours, 0.9),
        by_reason=reasons.most_common(),
    )


# --- cases ------------------------------------------------------------------------


@dataclass
class CaseTypeRow:
    label: str
    closed: int
    days_median: float | None
    days_p80: float | None


@dataclass
class CaseFigures:
    inflow: int
    closed: int
    backlog: int
    over_norm: int
    backlog_by_team: list[tuple[str, int]]
    backlog_by_status: list[tuple[str, int]]
    age_buckets: list[tuple[tuple[int, int | None], int]]
    processing_by_type: list[CaseTypeRow]
    interim_certificates: int


def case_figures(scope: Scope) -> CaseFigures:
    """Inflow, closings, the backlog at the end of the period, and processing times.

    All from the status history: a case is received at its first status change
    and closed at its first change into a status of the phase "closed". The
    backlog is what was received by the end of the period and not closed by then,
    with the status each case had at that moment.
    """
    # A case closed before the period began counts in none of these figures; leaving
    # those out keeps the work proportional to a period, not to years of history.
    closed_before = StatusChange.objects.filter(
        case=OuterRef("pk"), status__phase=Phase.CLOSED, changed_at__lt=scope.starts_at
    )
    cases = Case.objects.filter(
        scope.filter(location=None, service="case_type__service"),
    ).filter(~Exists(closed_before))
    # Per case, summed up in the database: when it was received (first status), when
    # closed (first closing status) and the status it had at the end of the period.
    before_end = Q(history__changed_at__lt=scope.ends_at)
    last_status = (
        StatusChange.objects.filter(case=OuterRef("pk"), changed_at__lt=scope.ends_at)
        .order_by("-sequence")
        .values("status__internal_name")[:1]
    )
    rows = (
        cases.annotate(
            received=Min("history__changed_at", filter=before_end),
            closed_at_end=Min(
                "history__changed_at", filter=before_end & Q(history__status__phase=Phase.CLOSED)
            ),
            status_at_end=Subquery(last_status),
        )
        .filter(received__isnull=False)
        .values(
            "id",
            "received",
            "closed_at_end",
            "status_at_end",
            "team__name",
            "case_type__norm_days",
            "case_type__service__name",
        )
    )
    info = {row["id"]: row for row in rows}
    opened = {case_id: row["received"] for case_id, row in info.items()}
    closed = {
        case_id: row["closed_at_end"] for case_id, row in info.items() if row["closed_at_end"]
    }
    status_at_end = {case_id: row["status_at_end"] for case_id, row in info.items()}
    start, end = scope.starts_at, scope.ends_at
    inflow = sum(1 for at in opened.values() if at >= start)
    closed_in_period = {case_id: at for case_id, at in closed.items() if at >= start}
    backlog = [case_id for case_id in opened if case_id not in closed]
    ages = {case_id: (end - opened[case_id]).days for case_id in backlog}
    over_norm = sum(
        1
        for case_id in backlog
        if info[case_id]["case_type__norm_days"]
        and ages[case_id] > info[case_id]["case_type__norm_days"]
    )
    buckets = []
    for low, high in AGE_BUCKETS_DAYS:
        buckets.append(
            (
                (low, high),
                sum(1 for age in ages.values() if age >= low and (high is None or age < high)),
            )
        )
    per_type: dict[str, list[float]] = defaultdict(list)
    for case_id, at in closed_in_period.items():
        per_type[tr(info[case_id]["case_type__service__name"])].append(
            (at - opened[case_id]).total_seconds() / 86400
        )
    certificates = InterimCertificate.objects.filter(
        scope.filter(location=None, service="case__case_type__service", team="case__team"),
        issued_on__gte=scope.period.start,
        issued_on__lte=scope.period.end,
    ).count()
    return CaseFigures(
        inflow=inflow,
        closed=len(closed_in_period),
        backlog=len(backlog),
        over_norm=over_norm,
        backlog_by_team=Counter(info[c]["team__name"] or "–" for c in backlog).most_common(),
        backlog_by_status=Counter(status_at_end[c] for c in backlog).most_common(),
        age_buckets=buckets,
        processing_by_type=sorted(
            (
                CaseTypeRow(label, len(days), quantile(days, 0.5), quantile(days, 0.8))
                for label, days in per_type.items()
            ),
            key=lambda row: -row.closed,
        ),
        interim_certificates=certificates,
    )


def first_recorded_day(timezone: str = OFFICE_TIMEZONE) -> date | None:
    """The first day anything was recorded: lets the dashboard say "no data yet"."""
    first = VisitTransition.objects.aggregate(first=Min("at"))["first"]
    return first.astimezone(ZoneInfo(timezone)).date() if first else None


def work_items_by_service(scope: Scope) -> dict[int, int]:
    """Work items recorded in the scope per service performed (case numbers for staffing)."""
    rows = WorkItem.objects.filter(visit__in=_visits(scope)).values_list("service_id")
    return dict(rows.annotate(n=Count("id")).order_by())


@dataclass
class ArrivalProfile:
    """An average office day as recorded: the input of a simulation scenario."""

    office_days: int
    walk_ins_by_hour: list[float]
    appointments_by_hour: list[float]
    counters_by_hour: list[int]
    mean_service_minutes: float | None
    no_show_percent: int
    emergency_share: float


def arrival_profile(scope: Scope, *, first_hour: int = 8, hours: int = 6) -> ArrivalProfile:
    """Arrivals, counters and serving time per opening hour, averaged over the office days.

    Only the hours ``first_hour`` … ``first_hour + hours`` are looked at (the simulation
    models one opening period a day); walk-ins include emergencies, whose share is given.
    """
    tz = ZoneInfo(scope.timezone)
    visits = _visits(scope)
    office_days = visits.values("service_day").distinct().count()
    walk_ins, emergencies = [0] * hours, 0
    issued = VisitTransition.objects.filter(
        visit__in=visits.exclude(origin=Origin.APPOINTMENT), action=VisitAction.ISSUE
    ).values_list("at", "visit__priority")
    for at, priority in issued:
        hour = at.astimezone(tz).hour - first_hour
        if 0 <= hour < hours:
            walk_ins[hour] += 1
            emergencies += priority == Priority.EMERGENCY
    counters: dict[int, set] = defaultdict(set)
    starts = VisitTransition.objects.filter(
        visit__in=visits, action=VisitAction.START, counter__isnull=False
    ).values_list("at", "counter_id")
    for at, counter_id in starts:
        local = at.astimezone(tz)
        if 0 <= local.hour - first_hour < hours:
            counters[local.hour - first_hour].add((local.date(), counter_id))
    confirmed = AppointmentEvent.objects.filter(
        Q(action=AppointmentAction.CONFIRM)
        | Q(action=AppointmentAction.CREATE, to_status=AppointmentStatus.CONFIRMED),
        appointment=OuterRef("pk"),
    )
    booked = Appointment.objects.filter(
        scope.filter(team="service__team"),
        Exists(confirmed),
        starts_at__gte=scope.starts_at,
        starts_at__lt=scope.ends_at,
    ).values_list("starts_at", flat=True)
    appointments = [0] * hours
    for starts_at in booked:
        hour = starts_at.astimezone(tz).hour - first_hour
        if 0 <= hour < hours:
            appointments[hour] += 1
    serves = [d["serve"] for d in visit_durations(scope).values() if d["serve"] is not None]
    totals = appointment_figures(scope).total
    days = office_days or 1
    return ArrivalProfile(
        office_days=office_days,
        walk_ins_by_hour=[round(n / days, 1) for n in walk_ins],
        appointments_by_hour=[round(n / days, 1) for n in appointments],
        counters_by_hour=[max(1, math.ceil(len(counters[h]) / days)) for h in range(hours)],
        mean_service_minutes=round(sum(serves) / len(serves), 1) if serves else None,
        no_show_percent=round(100 * totals.no_show / totals.booked) if totals.booked else 0,
        emergency_share=emergencies / sum(walk_ins) if sum(walk_ins) else 0.0,
    )


@dataclass
class NextFree:
    service: str
    location: str
    starts_at: datetime | None  # None: nothing free within the booking horizon
    days: int | None  # from the location's today


def next_free_appointments(scope: Scope) -> list[NextFree]:
    """Now: the next free online appointment per bookable service and location.

    Asked of booking's availability (what an applicant would be offered), not
    of the period: it answers "how long would someone wait who books today".
    """
    locations = Location.objects.filter(is_active=True)
    services = Service.objects.filter(is_active=True, online_bookable=True)
    if scope.location_id:
        locations = locations.filter(pk=scope.location_id)
    if scope.team_id:
        services = services.filter(team_id=scope.team_id)
    if scope.service_id:
        services = services.filter(pk=scope.service_id)
    rows = []
    now = clock.now()
    for location in locations:
        zone, today = ZoneInfo(location.timezone), clock.local_today(location.timezone)
        for service in services:
            free = next_free_times(location, service, 1, after=now, limit=1)
            starts_at = free[0].starts_at if free else None
            days = (starts_at.astimezone(zone).date() - today).days if starts_at else None
            rows.append(NextFree(str(service), str(location), starts_at, days))
    return sorted(rows, key=lambda row: (row.starts_at is None, row.starts_at or now, row.service))
