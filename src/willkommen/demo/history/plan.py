"""What a generated history is made of: the plan, the counts, and one office day's rows."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from willkommen.accounts.models import User

SLOT_MINUTES = 15
MORNING = (time(7, 30), time(12, 30))
THURSDAY_AFTERNOON = (time(14, 0), time(18, 0))
GIVEN = ("Amira", "Yusuf", "Olena", "Mehmet", "Ana", "Chen", "Fatima", "Ivan", "Priya", "Samuel")
FAMILY = ("Haddad", "Kaya", "Kovalenko", "Nguyen", "Silva", "Popescu", "Okafor", "Rahimi")


@dataclass
class Plan:
    days: int = 365
    visits_per_day: float = 60.0  # per location, on an average office day
    cases_per_day: float = 25.0  # per location
    seed: int = 2026


@dataclass
class Counts:
    visits: int = 0
    work_items: int = 0
    appointments: int = 0
    emergency_requests: int = 0
    cases: int = 0
    skipped: bool = False


@dataclass
class Context:
    """What every generated day needs: the dice, the plan and the catalogue."""

    rng: random.Random
    plan: Plan
    services: list
    weights: list
    counters: dict
    user: User
    counts: Counts
    unique_reference: object  # () -> str


@dataclass
class Day:
    """One office day at one location, and the rows it produced (written at its end)."""

    context: Context
    location: object
    tz: object
    day: date
    expected: float  # visits expected on this day
    slots: dict = field(default_factory=dict)  # (channel, minute) -> Slot
    appointments: list = field(default_factory=list)
    events: list = field(default_factory=list)
    bookings: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    request_events: list = field(default_factory=list)
    visits: list = field(default_factory=list)  # frontdesk's PastVisit entries

    @property
    def rng(self) -> random.Random:
        return self.context.rng

    def at(self, minutes: float) -> datetime:
        return datetime.combine(self.day, time.min, tzinfo=self.tz) + timedelta(minutes=minutes)

    def opening_minutes(self) -> list[tuple[int, int]]:
        spans = [MORNING] + ([THURSDAY_AFTERNOON] if self.day.weekday() == 3 else [])
        return [(s.hour * 60 + s.minute, e.hour * 60 + e.minute) for s, e in spans]
