"""Slot computation from opening rules: pure functions, no database (tested with hypothesis).

Local wall-clock times are turned into UTC instants per day, so a rule "08:00–12:00"
means 08:00 in Berlin in winter and in summer. On the spring-forward day, times
that do not exist locally produce no slot; on the fall-back day the first of two
equal wall-clock times is used (``fold=0``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from willkommen.booking.models.capacity import Channel

# Staff and emergency capacity is never released in stages; it is there at once.
ALWAYS_RELEASED = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class RuleSpec:
    """The parts of an ``OpeningRule`` that slot computation needs."""

    team_id: int | None
    weekdays: frozenset[int]
    start_time: time
    end_time: time
    valid_from: date
    valid_until: date | None
    every_n_weeks: int
    slot_minutes: int
    capacities: tuple[tuple[str, int], ...]  # (channel, parallel appointments)
    open_on_holidays: bool = False

    @classmethod
    def of(cls, rule) -> RuleSpec:
        return cls(
            team_id=rule.team_id,
            weekdays=frozenset(rule.weekdays),
            start_time=rule.start_time,
            end_time=rule.end_time,
            valid_from=rule.valid_from,
            valid_until=rule.valid_until,
            every_n_weeks=rule.every_n_weeks,
            slot_minutes=rule.slot_minutes,
            capacities=tuple((channel, rule.capacity_of(channel)) for channel in Channel.values),
            open_on_holidays=rule.open_on_holidays,
        )

    def applies_on(self, day: date, is_holiday: bool) -> bool:
        if day.weekday() not in self.weekdays or day < self.valid_from:
            return False
        if self.valid_until is not None and day > self.valid_until:
            return False
        if is_holiday and not self.open_on_holidays:
            return False
        # Weeks counted from the Monday of the week the rule starts in.
        first_monday = self.valid_from - timedelta(days=self.valid_from.weekday())
        return ((day - first_monday).days // 7) % self.every_n_weeks == 0


@dataclass(frozen=True)
class SlotSpec:
    team_id: int | None
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    capacities: dict[str, int] = field(hash=False)


@lru_cache(maxsize=64)
def public_holidays(state: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DE", subdiv=state, years=year))


def is_holiday(state: str, day: date) -> bool:
    return day in public_holidays(state, day.year)


def local_instant(day: date, wall: time, zone: ZoneInfo) -> datetime | None:
    """The UTC instant of ``wall`` on ``day`` in ``zone``; None if that time does not exist."""
    local = datetime.combine(day, wall, tzinfo=zone)
    utc = local.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None  # skipped by the clock change
    return utc


def slots_of_day(
    rules: Iterable[RuleSpec], day: date, zone: ZoneInfo, *, holiday: bool, closed: bool
) -> list[SlotSpec]:
    """Every slot the rules open on ``day``; overlapping rules add their capacity."""
    if closed:
        return []
    merged: dict[tuple, dict[str, int]] = {}
    for rule in rules:
        if not rule.applies_on(day, holiday):
            continue
        step = timedelta(minutes=rule.slot_minutes)
        start = datetime.combine(day, rule.start_time)
        end = datetime.combine(day, rule.end_time)
        while start + step <= end:
            starts_at = local_instant(day, start.time(), zone)
            ends_at = local_instant(day, (start + step).time(), zone)
            start += step
            if starts_at is None or ends_at is None or ends_at <= starts_at:
                continue
            key = (rule.team_id, starts_at, ends_at)
            capacities = merged.setdefault(key, dict.fromkeys(Channel.values, 0))
            for channel, amount in rule.capacities:
                capacities[channel] += amount
    return [
        SlotSpec(team_id, starts_at, ends_at, capacities)
        for (team_id, starts_at, ends_at), capacities in sorted(
            merged.items(), key=lambda item: (item[0][1], item[0][0] or 0)
        )
    ]


def split_by_stages(capacity: int, shares: list[int]) -> list[int]:
    """Divide a slot's online capacity among release stages (shares in percent, summing to 100).

    Cumulative rounding down, the last stage taking the rest, so the parts always
    add up to ``capacity`` and no stage gets more than its share plus one.
    """
    parts, released, total = [], 0, 0
    for index, share in enumerate(shares):
        total += share
        upto = capacity if index == len(shares) - 1 else math.floor(capacity * total / 100)
        parts.append(upto - released)
        released = upto
    return parts


def release_instants(day: date, zone: ZoneInfo, horizon_days: int, stage_times: list[time]):
    """When each stage of ``day`` opens: ``horizon_days`` earlier, at the stage's time of day."""
    opening_day = day - timedelta(days=horizon_days)
    instants = []
    for wall in stage_times:
        # A stage time skipped by the clock change opens one hour later.
        later = (datetime.combine(opening_day, wall) + timedelta(hours=1)).time()
        instants.append(
            local_instant(opening_day, wall, zone) or local_instant(opening_day, later, zone)
        )
    return instants


def minutes_needed(minutes_per_person: int, persons: int, cap: int | None) -> int:
    minutes = minutes_per_person * persons
    return min(minutes, cap) if cap else minutes
