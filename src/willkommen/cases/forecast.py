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
from django.db.models import Count, Max
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


# Per process: (case type) → (count, latest closing, rows). A cheap aggregate tells
# whether anything closed, was anonymised or left the window since; only then are
# the rows read again. Never stale, so no expiry is needed.
_history_memo: dict[int, tuple[int, object, list]] = {}


def closed_history(case_type_id: int) -> list[tuple[str, str, float]]:
    """(urgency, difficulty, days) of the case type's closed cases in the window."""
    since = clock.now() - WINDOW
    closed = Case.objects.filter(
        case_type_id=case_type_id, closed_at__gte=since, anonymised_at__isnull=True
    )
    summary = closed.aggregate(count=Count("pk"), latest=Max("closed_at"))
    memo = _history_memo.get(case_type_id)
    if memo is not None and memo[:2] == (summary["count"], summary["latest"]):
        return memo[2]
    rows = [
        (urgency, difficulty, (closed_at - opened_at).total_seconds() / 86400)
        for urgency, difficulty, opened_at, closed_at in closed.values_list(
            "urgency", "difficulty", "opened_at", "closed_at"
        )
    ]
    _history_memo[case_type_id] = (summary["count"], summary["latest"], rows)
    return rows


def forecast_from(history, urgency: str, difficulty: str) -> Forecast | None:
    minimum = settings.CASE_FORECAST_MIN_SAMPLE
    levels = [
        ("exact", lambda u, d: u == urgency and d == difficulty),
        ("urgency", lambda u, d: u == urgency),
        ("case_type", lambda u, d: True),
    ]
    for level, matches in levels:
        durations = [days for u, d, days in history if matches(u, d)]
        if len(durations) >= minimum:
            median, p80 = np.percentile(durations, [50, 80])
            return Forecast(float(median), float(p80), len(durations), level)
    return None


def forecast_for(case_type_id: int, urgency: str, difficulty: str) -> Forecast | None:
    return forecast_from(closed_history(case_type_id), urgency, difficulty)


class ForecastCache:
    """Forecasts for the cases of a list page: one query per case type, not per case."""

    def __init__(self):
        self._history: dict[int, list] = {}
        self._forecasts: dict[tuple, Forecast | None] = {}

    def get(self, case: Case) -> Forecast | None:
        key = (case.case_type_id, case.urgency, case.difficulty)
        if key not in self._forecasts:
            if case.case_type_id not in self._history:
                self._history[case.case_type_id] = closed_history(case.case_type_id)
            self._forecasts[key] = forecast_from(
                self._history[case.case_type_id], case.urgency, case.difficulty
            )
        return self._forecasts[key]
