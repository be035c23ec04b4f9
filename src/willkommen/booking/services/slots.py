"""Capacity as rows: the slot rows of a location made to match its opening rules."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest

from willkommen.booking import capacity, selectors
from willkommen.booking.models import Channel, Closure, OpeningRule, Slot
from willkommen.core import clock


def _closed_days(location, first: date, last: date) -> set[date]:
    closed = set()
    closures = Closure.objects.filter(
        Q(location=location) | Q(location__isnull=True), starts_on__lte=last, ends_on__gte=first
    )
    for closure in closures:
        day = max(closure.starts_on, first)
        while day <= min(closure.ends_on, last):
            closed.add(day)
            day += timedelta(days=1)
    return closed


def desired_slots(location, first: date, last: date) -> dict[tuple, tuple]:
    """(team, channel, starts_at, stage) -> (ends_at, released_at, capacity) for the days."""
    zone = ZoneInfo(location.timezone)
    rules = [capacity.RuleSpec.of(rule) for rule in OpeningRule.objects.filter(location=location)]
    policy = selectors.policy_of(location)
    stages = selectors.release_stages_of(location)
    shares = [share for _time, share in stages]
    closed = _closed_days(location, first, last)
    wanted = {}
    day = first
    while day <= last:
        holiday = capacity.is_holiday(location.state, day)
        specs = capacity.slots_of_day(rules, day, zone, holiday=holiday, closed=day in closed)
        released = capacity.release_instants(
            day, zone, policy.horizon_days, [wall for wall, _share in stages]
        )
        for spec in specs:
            for channel, amount in spec.capacities.items():
                if amount <= 0:
                    continue
                if channel == Channel.ONLINE:
                    parts = zip(released, capacity.split_by_stages(amount, shares), strict=True)
                else:
                    parts = [(capacity.ALWAYS_RELEASED, amount)]
                for stage, (released_at, part) in enumerate(parts):
                    if part > 0:
                        key = (spec.team_id, channel, spec.starts_at, stage)
                        wanted[key] = (spec.ends_at, released_at, part)
        day += timedelta(days=1)
    return wanted


def materialise_slots(location, *, first: date | None = None, days: int | None = None) -> int:
    """Make the slot rows match the rules for the bookable window. Idempotent.

    New capacity is inserted, changed capacity updated, and capacity that the
    rules no longer give (closure, changed hours) is cut down to what is already
    booked: booked appointments are never dropped here; staff see them in the
    day plan and move them. Returns the number of rows created or changed.
    """
    first = first or clock.local_today(location.timezone)
    horizon = days if days is not None else selectors.policy_of(location).horizon_days + 1
    last = first + timedelta(days=horizon)
    wanted = desired_slots(location, first, last)
    start, _ = selectors.day_bounds(location, first)
    _, end = selectors.day_bounds(location, last)
    with transaction.atomic():
        existing = {
            (slot.team_id, slot.channel, slot.starts_at, slot.stage): slot
            for slot in Slot.objects.filter(
                location=location, starts_at__gte=start, starts_at__lt=end
            )
        }
        new = []
        for key, (ends_at, released_at, amount) in wanted.items():
            if key in existing:
                continue
            team_id, channel, starts_at, stage = key
            new.append(
                Slot(
                    location=location,
                    team_id=team_id,
                    channel=channel,
                    starts_at=starts_at,
                    stage=stage,
                    ends_at=ends_at,
                    released_at=released_at,
                    capacity=amount,
                )
            )
        Slot.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
        changed = len(new)
        for key, slot in existing.items():
            ends_at, released_at, amount = wanted.get(key, (slot.ends_at, slot.released_at, 0))
            if (slot.capacity, slot.released_at, slot.ends_at) != (amount, released_at, ends_at):
                # Never below what is booked: the CHECK constraint would refuse it anyway.
                changed += Slot.objects.filter(pk=slot.pk).update(
                    capacity=Greatest(amount, F("booked")), released_at=released_at, ends_at=ends_at
                )
    return changed


def materialise_all_locations() -> int:
    from willkommen.catalog.models import Location

    return sum(materialise_slots(location) for location in Location.objects.active())
