"""Visit figures: persons, work items, outcomes, waiting and serving times, arrivals."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from django.db.models import Count, Min, Q, Sum

from willkommen.accounts.models import Team
from willkommen.catalog.models import Location, Service
from willkommen.controlling.kpis.scope import (
    OFFICE_TIMEZONE,
    WAIT_TARGET_MINUTES,
    Scope,
    quantile,
    share,
)
from willkommen.controlling.outcomes import (
    OUTCOMES,
    SETTLED,
    HourRow,
    Outcomes,
    left_unserved_by_hour,
    outcome,
)
from willkommen.frontdesk.models import Priority, Visit, VisitTransition, WorkItem
from willkommen.frontdesk.states import Action as VisitAction

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


def visits_in(scope: Scope):
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
    visits = visits_in(scope)
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
        VisitTransition.objects.filter(visit__in=visits_in(scope), action__in=actions)
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


def first_recorded_day(timezone: str = OFFICE_TIMEZONE) -> date | None:
    """The first day anything was recorded: lets the dashboard say "no data yet"."""
    first = VisitTransition.objects.aggregate(first=Min("at"))["first"]
    return first.astimezone(ZoneInfo(timezone)).date() if first else None


def work_items_by_service(scope: Scope) -> dict[int, int]:
    """Work items recorded in the scope per service performed (case numbers for staffing)."""
    rows = WorkItem.objects.filter(visit__in=visits_in(scope)).values_list("service_id")
    return dict(rows.annotate(n=Count("id")).order_by())
