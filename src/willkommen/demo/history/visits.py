"""The visits of a generated day: who came, how long they waited and were served, and
the work items they produced. Written through frontdesk's bulk variant."""

from __future__ import annotations

from datetime import timedelta

from willkommen.frontdesk.models import Origin, Priority, Visit
from willkommen.frontdesk.services import PastVisit, WorkItemLine
from willkommen.frontdesk.states import Action

from .plan import Day


def visit_for(day: Day, service, priority, origin, arrived, appointment=None, reason=""):
    """A new visit of ``day`` (numbered, and moved along the table, by frontdesk)."""
    rng, context, location = day.rng, day.context, day.location
    persons = rng.choices((1, 2, 3, 4), weights=(80, 14, 4, 2))[0]
    return Visit(
        location=location,
        service_day=day.day,
        service=service,
        team_id=service.team_id,
        origin=origin,
        appointment=appointment,
        priority=priority,
        emergency_reason=reason,
        persons_present=persons,
        created_at=arrived,
        queued_at=arrived,
        counter=context.counters.get((location.pk, service.team_id))
        or context.counters.get((location.pk, None)),
        clerk=context.user,
        interim_certificate=rng.random() < 0.06,
        repeat_visit=rng.random() < 0.08,
    )


def served(day: Day, visit: Visit, service, arrived, mean_wait) -> None:
    """Wait, call, serve and finish ``visit`` (or settle it at reception), with its work."""
    rng = day.rng
    steps = [(Action.ISSUE, arrived)]
    if visit.origin == Origin.RECEPTION:
        steps = [(Action.SETTLE, arrived)]
    else:
        called = arrived + timedelta(minutes=rng.expovariate(1 / mean_wait))
        started = called + timedelta(minutes=rng.uniform(0.5, 3))
        length = service.duration_minutes * (0.6 + 0.4 * visit.persons_present)
        finished = started + timedelta(minutes=length * rng.lognormvariate(0, 0.3))
        steps += [(Action.CALL, called), (Action.START, started), (Action.FINISH, finished)]
    # A work item for the person who came, for most others present (a husband may
    # just accompany), and for family members who stayed at home (children).
    with_work = 1 + sum(rng.random() < 0.6 for _ in range(visit.persons_present - 1))
    at_home = rng.choices((0, 1, 2, 3), weights=(88, 6, 4, 2))[0]
    work = [
        WorkItemLine(service, f"Person {index + 1}", present)
        for index, present in enumerate([True] * with_work + [False] * at_home)
    ]
    day.visits.append(PastVisit(visit, steps, work, actor=day.context.user))


def walk_ins(day: Day) -> None:
    """Walk-ins, emergencies and short matters, spread over the opening hours."""
    rng, context = day.rng, day.context
    open_minutes = [m for start, end in day.opening_minutes() for m in range(start, end - 10)]
    for _n in range(round(day.expected * 0.4 * rng.uniform(0.85, 1.15))):
        service = rng.choices(context.services, context.weights)[0]
        arrived = day.at(rng.choice(open_minutes) + rng.random())
        kind = rng.choices(("walk_in", "emergency", "reception"), (70, 12, 18))[0]
        if kind == "emergency":
            visit = visit_for(
                day,
                service,
                Priority.EMERGENCY,
                Origin.WALK_IN,
                arrived,
                reason="Aufenthaltstitel läuft in wenigen Tagen ab",
            )
            served(day, visit, service, arrived, mean_wait=6)
        elif kind == "reception":
            visit = visit_for(day, service, Priority.WALK_IN, Origin.RECEPTION, arrived)
            served(day, visit, service, arrived, mean_wait=1)
        else:
            visit = visit_for(day, service, Priority.WALK_IN, Origin.WALK_IN, arrived)
            served(day, visit, service, arrived, mean_wait=35)
