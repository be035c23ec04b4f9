"""Reporting periods: a day, an ISO week, a month, a year, or any range of days."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

MAX_DAYS = 3 * 366


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    kind: str  # day, week, month, year, range

    def __post_init__(self):
        if self.end < self.start:
            raise PeriodError(_("The end of the period lies before its start."))
        if (self.end - self.start).days >= MAX_DAYS:
            raise PeriodError(_("A period can be at most three years long."))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=offset) for offset in range(self.days)]

    def previous(self) -> Period:
        """The period before, of the same kind (the month before, the week before, …)."""
        if self.kind == "month":
            before = self.start - timedelta(days=1)
            return month(before.year, before.month)
        if self.kind == "year":
            return Period(
                date(self.start.year - 1, 1, 1), date(self.start.year - 1, 12, 31), "year"
            )
        return Period(
            self.start - timedelta(days=self.days), self.start - timedelta(days=1), self.kind
        )

    def label(self) -> str:
        if self.kind == "day":
            return date_format(self.start)
        if self.kind == "month":
            return date_format(self.start, "F Y")
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "week":
            year, week, _day = self.start.isocalendar()
            return _("Week %(week)d/%(year)d") % {"week": week, "year": year}
        return f"{date_format(self.start)} – {date_format(self.end)}"


def day(value: date) -> Period:
    return Period(value, value, "day")


def week_of(value: date) -> Period:
    monday = value - timedelta(days=value.weekday())
    return Period(monday, monday + timedelta(days=6), "week")


def month(year: int, month_number: int) -> Period:
    if not 1 <= month_number <= 12 or not 2000 <= year <= 2100:
        raise PeriodError(_("There is no such month."))
    last = calendar.monthrange(year, month_number)[1]
    return Period(date(year, month_number, 1), date(year, month_number, last), "month")


def year(number: int) -> Period:
    if not 2000 <= number <= 2100:
        raise PeriodError(_("There is no such year."))
    return Period(date(number, 1, 1), date(number, 12, 31), "year")


def parse_month(text: str) -> Period:
    """``2026-10`` → October 2026."""
    try:
        year_text, month_text = text.split("-")
        return month(int(year_text), int(month_text))
    except ValueError:
        raise PeriodError(_("Give the month as YYYY-MM, e.g. 2026-10.")) from None
