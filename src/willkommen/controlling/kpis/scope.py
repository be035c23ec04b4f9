"""What a key figure looks at (``Scope``), and the small arithmetic every figure shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db.models import Q

from willkommen.controlling.periods import Period

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
