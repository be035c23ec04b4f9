"""Key figures of complaints for a period, with the suppression rule applied (invariant 8).

For controlling's dashboard and council report: complaints by category and team
(with row, column and grand totals), the share answered within the deadline, the
median days to the first answer and the praise received. Counts of 1 to 4 are
withheld, and as many other cells as it takes that none can be recomputed from the
totals (``core.disclosure.protect``); a share or median of fewer than five answers
is withheld too. Selectors only: nothing here writes.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from willkommen.complaints import deadlines
from willkommen.complaints.models import Category, Complaint
from willkommen.core import clock, disclosure

TOTAL = "total"
NO_TEAM = "none"


@dataclass(frozen=True)
class ComplaintFigures:
    start: date
    end: date  # inclusive
    categories: list[str]  # row keys (Category values)
    teams: list[tuple[object, str]]  # column keys (team id or NO_TEAM) and names
    counts: dict[tuple, int]  # (category or TOTAL, team or TOTAL) -> count, as counted
    cells: dict[tuple, str]  # the same keys, as published
    answered: int
    in_time: int  # answered by the deadline, as counted
    days_to_answer: list[float]  # per answer, as counted
    answered_in_time: disclosure.Published  # a share of the answers, 0 to 1
    median_days_to_answer: disclosure.Published
    # As the table shows it (a withheld cell stays withheld here too).
    praise: str


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), clock.office_time_zone())


def complaints_received(start: date, end: date):
    """Complaints received on the office's days ``start`` to ``end`` (inclusive)."""
    return Complaint.objects.filter(
        received_at__gte=_moment(start), received_at__lt=_moment(end + timedelta(days=1))
    )


def complaint_figures(start: date, end: date, team_id: int | None = None) -> ComplaintFigures:
    """The figures of complaints received ``start`` to ``end``; with ``team_id``, only
    those about that team (the dashboard's team filter)."""
    received = complaints_received(start, end)
    if team_id:
        received = received.filter(team_id=team_id)
    rows = list(
        received.values_list(
            "category", "team_id", "team__name", "received_at", "answered_at", "due_on"
        )
    )
    names = {team: name for _c, team, name, *_rest in rows if team is not None}
    teams = sorted(names.items(), key=lambda pair: pair[1])
    if any(team is None for _c, team, *_rest in rows):
        teams.append((NO_TEAM, ""))
    categories = list(Category.values)
    counts = Counter()
    for category, team, *_rest in rows:
        column = team if team is not None else NO_TEAM
        for key in ((category, column), (category, TOTAL), (TOTAL, column), (TOTAL, TOTAL)):
            counts[key] += 1
    values = {
        (row, column): counts[(row, column)]
        for row in [*categories, TOTAL]
        for column in [*(t for t, _n in teams), TOTAL]
    }
    totals = [
        disclosure.Total((row, TOTAL), tuple((row, t) for t, _n in teams))
        for row in [*categories, TOTAL]
    ] + [
        disclosure.Total((TOTAL, column), tuple((c, column) for c in categories))
        for column in [*(t for t, _n in teams), TOTAL]
    ]
    withheld = disclosure.protect(values, totals)
    marks = {disclosure.PRIMARY: disclosure.SMALL, disclosure.SECONDARY: disclosure.WITHHELD}
    cells = {key: marks[withheld[key]] if key in withheld else str(v) for key, v in values.items()}
    answers = [row for row in rows if row[4] is not None]
    in_time = sum(
        1 for *_r, received, answered, due in answers
        if deadlines.answered_in_time(_Answered(answered, due))
    )  # fmt: skip
    days = [
        (answered - received).total_seconds() / 86400 for *_r, received, answered, _d in answers
    ]
    return ComplaintFigures(
        start=start,
        end=end,
        categories=categories,
        teams=teams,
        counts=dict(values),
        cells=cells,
        answered=len(answers),
        in_time=in_time,
        days_to_answer=days,
        answered_in_time=disclosure.derived(
            round(in_time / len(answers), 3) if answers else None, len(answers)
        ),
        median_days_to_answer=disclosure.derived(
            round(statistics.median(days), 1) if days else None, len(days)
        ),
        praise=cells[(Category.PRAISE.value, TOTAL)],
    )


@dataclass(frozen=True)
class _Answered:
    answered_at: datetime
    due_on: date
