"""A year (or any span) of believable office history, so dashboards show something real.

Deterministic for a seed. The visits go through frontdesk's bulk variant
(``services.record_past_visits``: the same transition table, numbering and event
rows as the live desk, in a few INSERTs per day), because replaying 50,000 visits
through the per-click use cases would take many minutes. Booking's and cases'
rows are built here with their statuses walked along booking's transition tables
and cases' own reference allocator (those apps have no bulk variant yet).

What it makes, per location and office day (Monday to Friday, not on the
Land's public holidays), with seasonality (busier in late summer and autumn)
and a weekday pattern (Monday and Thursday are busiest):

- slots with online, staff and emergency capacity, and appointments on them:
  kept (checked in: a visit), missed (no-show), cancelled, or held online and
  never confirmed (``bookings``);
- walk-in and emergency visits, and short matters settled at reception; families
  (several persons present, work items for absent children); waiting, walking
  and serving times; repeat visits and interim certificates (``visits``);
- emergency requests, accepted or rejected a few hours later;
- cases with their status history, closed after about their service norm or
  still open (``cases``).

Days before today only: today's numbering and queues belong to the live system.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import holidays
from django.db import connection, transaction

from willkommen.accounts.models import User
from willkommen.accounts.services import system_user
from willkommen.booking.models import Appointment
from willkommen.booking.models.appointments import new_reference
from willkommen.catalog.models import Counter, Location, Service
from willkommen.core import clock
from willkommen.frontdesk import services as frontdesk
from willkommen.frontdesk.models import Visit

from . import bookings, cases, visits
from .plan import Context, Counts, Day, Plan

HISTORY_USERNAME = "demo-verlauf"
WEEKDAY_FACTOR = (1.25, 1.0, 0.7, 1.15, 0.8, 0, 0)
BATCH = 2000

__all__ = ["Counts", "Plan", "generate"]


def season(day: date) -> float:
    """About ±20 % over the year, peaking in September (start of studies and jobs)."""
    return 1 + 0.2 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 258) / 365)


def history_user() -> User:
    return system_user(HISTORY_USERNAME, "Demo", "Verlauf")


def generate(plan: Plan) -> Counts:
    """Write the history; does nothing when visits before today exist already (idempotent)."""
    locations = list(Location.objects.filter(is_active=True).order_by("slug"))
    if not locations:
        raise ValueError("No active location: load the catalogue first (load_demo_catalog).")
    first_today = min(clock.local_today(loc.timezone) for loc in locations)
    if Visit.objects.filter(service_day__lt=first_today).exists():
        return Counts(skipped=True)
    rng = random.Random(plan.seed)
    services = list(
        Service.objects.filter(is_active=True, team__isnull=False)
        .select_related("category", "team")
        .order_by("slug")
    )
    if not services:
        raise ValueError("No active service with a team: load the catalogue first.")
    weights = [3 if s.online_bookable else 1 for s in services]
    counters = {}
    for counter in Counter.objects.filter(is_active=True).order_by("pk"):
        counters.setdefault((counter.location_id, counter.team_id), counter)
        counters.setdefault((counter.location_id, None), counter)
    user = history_user()
    counts = Counts()
    # References are short (typed at reception), so a year of them would collide now and then.
    references = set(Appointment.objects.values_list("reference", flat=True))

    def unique_reference():
        reference = new_reference()
        while reference in references:
            reference = new_reference()
        references.add(reference)
        return reference

    context = Context(rng, plan, services, weights, counters, user, counts, unique_reference)
    for location in locations:
        tz = ZoneInfo(location.timezone)
        today = clock.local_today(location.timezone)
        public_holidays = holidays.country_holidays(
            "DE",
            subdiv=location.state,
            years=range(today.year - plan.days // 365 - 1, today.year + 1),
        )
        for offset in range(plan.days, 0, -1):
            day = today - timedelta(days=offset)
            factor = WEEKDAY_FACTOR[day.weekday()]
            if not factor or day in public_holidays:
                continue
            expected = plan.visits_per_day * factor * season(day)
            with transaction.atomic():
                _office_day(Day(context, location, tz, day, expected))
    with transaction.atomic():
        cases.generate(rng, plan, locations, user, counts)
    _refresh_statistics()
    return counts


def _office_day(day: Day) -> None:
    """One office day at one location, its story told in order."""
    bookings.slots(day)
    bookings.appointments(day)
    visits.walk_ins(day)
    bookings.rejected_requests(day)
    # Parents before children: bulk_create fills in the keys the children point to.
    for rows in (
        list(day.slots.values()),
        day.appointments,
        day.events,
        day.bookings,
        day.requests,
        day.request_events,
    ):
        if rows:
            type(rows[0]).objects.bulk_create(rows, batch_size=BATCH)
    visit_count, work_count = frontdesk.record_past_visits(day.visits)
    counts = day.context.counts
    counts.visits += visit_count
    counts.work_items += work_count
    counts.appointments += len(day.appointments)
    counts.emergency_requests += len(day.requests)


def _refresh_statistics() -> None:
    """After a bulk load, let PostgreSQL's planner know the tables' new sizes at once
    (autovacuum would, a while later); SQLite plans without such statistics."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
