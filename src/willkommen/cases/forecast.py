"""Forecast processing time: what comparable closed cases took.

Comparable means the same case type, urgency and difficulty. When that group
has fewer than CASE_FORECAST_MIN_SAMPLE closed cases within the window, the
forecast falls back to the same case type and urgency, then to the case type
alone; with too few even then, there is no forecast (rather than a guess).
Processing time runs from receipt (opening) to closing, in days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from willkommen.cases.models import Case
from willkommen.core import clock

WINDOW = timedelta(days=730)


@dataclass(frozen=True)
class Forecast:
    median_days: float
    p80_days: float
    sample_size: int
    level: str  # "exact", "urgency", "case_type"

    LEVEL_LABELS = {
        "exact": _("same case type, urgency and difficulty"),
        "urgency": _("same case type and urgency"),
        "case_type": _("same case type"),
    }

    @property
    def level_label(self):
        return self.LEVEL_LABELS[self.level]

    # Applicants see whole weeks: from the median rounded down to the 80th percentile
    # rounded up, so the range errs on the side of "it may take a little longer".
    @property
    def weeks_low(self) -> int:
        return max(1, math.floor(self.median_days / 7))

    @property
    def weeks_high(self) -> int:
        return max(self.weeks_low, math.ceil(self.p80_days / 7))


def _durations(case_type_id: int, **group) -> list[float]:
    since = clock.now() - WINDOW
    rows = Case.objects.filter(
        case_type_id=case_type_id, closed_at__gte=since, anonymised_at__isnull=True, **group
    ).values_list("opened_at", "closed_at")
    return [(closed - opened).total_seconds() / 86400 for opened, closed in rows]


def forecast_for(case_type_id: int, urgency: str, difficulty: str) -> Forecast | None:
    minimum = settings.CASE_FORECAST_MIN_SAMPLE
    levels = [
        ("exact", {"urgency": urgency, "difficulty": difficulty}),
        ("urgency", {"urgency": urgency}),
        ("case_type", {}),
    ]
    for level, group in levels:
        durations = _durations(case_type_id, **group)
        if len(durations) >= minimum:
            median, p80 = np.percentile(durations, [50, 80])
            return Forecast(float(median), float(p80), len(durations), level)
    return None


class ForecastCache:
    """Forecasts for many cases of a list page, computed once per group."""

    def __init__(self):
        self._cache: dict[tuple, Forecast | None] = {}

    def get(self, case: Case) -> Forecast | None:
        key = (case.case_type_id, case.urgency, case.difficulty)
        if key not in self._cache:
            self._cache[key] = forecast_for(*key)
        return self._cache[key]
