"""The bulk variant of the use cases: visits of past days written at once.

For history that happened elsewhere (the demo's office year, an import from an
old call system): each visit walks the same transition table as a live one, and
its events and work items are the rows the live use cases would have written,
but thousands go in a few INSERTs instead of one transaction per click.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from willkommen.core import clock
from willkommen.frontdesk import tickets
from willkommen.frontdesk.models import Visit, VisitTransition, WorkItem
from willkommen.frontdesk.services.visits import (
    FrontdeskError,
    WorkItemLine,
    priority_rank,
    transition_row,
    work_rows,
)
from willkommen.frontdesk.states import TABLE

BATCH = 2000


@dataclass
class PastVisit:
    """One visit of an earlier day: the unsaved row, what happened to it, and its work."""

    visit: Visit  # location, day, service, team, origin, priority, persons, times, clerk
    steps: list[tuple[str, datetime]]  # (action, at); the first one starts the visit
    work: list[WorkItemLine]
    actor: object  # who recorded it (work items need someone); the demo's history user


@transaction.atomic
def record_past_visits(past: list[PastVisit]) -> tuple[int, int]:
    """Write ``past``, numbered per location, day and prefix in list order (after the
    numbers a day already has, so a second import of the same day follows on); all or
    nothing. Only days before the location's today: today's numbers are the live desk's.

    Returns the number of visits and of work items written.
    """
    prefixes: dict[int, str] = {}
    numbers = _last_numbers(past)
    visits, events, work = [], [], []
    for entry in past:
        visit = entry.visit
        if visit.service_day >= clock.local_today(visit.location.timezone):
            raise FrontdeskError(_("Only visits of earlier days can be recorded afterwards."))
        if visit.service_id not in prefixes:
            prefixes[visit.service_id] = tickets.ticket_prefix(visit.service)
        visit.ticket_prefix = prefixes[visit.service_id]
        key = (visit.location_id, visit.service_day, visit.ticket_prefix)
        numbers[key] = visit.ticket_number = numbers.get(key, 0) + 1
        visit.priority_rank = priority_rank(visit.priority)
        visit.status = ""
        for action, at in entry.steps:
            source = visit.status
            visit.status = TABLE.target(source, action) if source else TABLE.start(action)
            events.append(
                transition_row(
                    visit, action, source, actor=entry.actor, at=at, counter=visit.counter
                )
            )
        visits.append(visit)
        work += work_rows(visit, entry.work, entry.actor, entry.steps[-1][1])
    # Parents before children: bulk_create fills in the keys the children point to.
    Visit.objects.bulk_create(visits, batch_size=BATCH)
    VisitTransition.objects.bulk_create(events, batch_size=BATCH)
    WorkItem.objects.bulk_create(work, batch_size=BATCH)
    return len(visits), len(work)


def _last_numbers(past: list[PastVisit]) -> dict[tuple, int]:
    """The highest ticket number stored per (location, day, prefix) in the days of ``past``."""
    if not past:
        return {}
    days = [entry.visit.service_day for entry in past]
    rows = (
        Visit.objects.filter(
            location_id__in={entry.visit.location_id for entry in past},
            service_day__gte=min(days),
            service_day__lte=max(days),
        )
        .values_list("location_id", "service_day", "ticket_prefix")
        .annotate(last=Max("ticket_number"))
        .order_by()
    )
    return {(location, day, prefix): last for location, day, prefix, last in rows}


@transaction.atomic
def remove_past_visits(visits) -> int:
    """Take back visits written by ``record_past_visits`` (an import rolled back):
    their events, work items and the visits. ``visits`` is a queryset of Visit.
    Refused for a visit of the location's today or later (the live desk's)."""
    visits = Visit.objects.filter(pk__in=visits.values("pk"))
    earliest_today = min(
        (
            clock.local_today(tz)
            for tz in visits.values_list("location__timezone", flat=True).order_by().distinct()
        ),
        default=None,
    )
    if earliest_today and visits.filter(service_day__gte=earliest_today).exists():
        raise FrontdeskError(_("Only visits of earlier days can be taken back."))
    VisitTransition.objects.filter(visit__in=visits).discard_imported()
    WorkItem.objects.filter(visit__in=visits).delete()
    return visits.delete()[1].get(Visit._meta.label, 0)
