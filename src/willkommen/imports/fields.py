"""Reading one cell of an export: dates, times, numbers, yes/no, codes, lists.

Each reader raises ``RowError`` with a reason a person can act on; the import
reports it with the file and line.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

YES = {"1", "yes", "y", "true", "ja", "j", "x"}
NO = {"", "0", "no", "n", "false", "nein"}


class RowError(ValueError):
    """One row cannot be imported; the message says why."""


def required(values: dict, column: str) -> str:
    value = values.get(column, "")
    if not value:
        raise RowError(_("“%(column)s” is empty.") % {"column": column})
    return value


def day(values: dict, column: str, optional: bool = False) -> date | None:
    """2026-10-01 or 01.10.2026 (a time after it is ignored)."""
    text = values.get(column, "") if optional else required(values, column)
    if not text:
        return None
    text = text.split(" ", 1)[0].split("T", 1)[0]
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RowError(
        _("“%(column)s”: “%(value)s” is no date (2026-10-01 or 01.10.2026).")
        % {"column": column, "value": text}
    )


def clock_time(values: dict, column: str, optional: bool = False) -> time | None:
    """08:15 or 08:15:30."""
    text = values.get(column, "") if optional else required(values, column)
    if not text:
        return None
    for pattern in ("%H:%M", "%H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).time()
        except ValueError:
            continue
    raise RowError(
        _("“%(column)s”: “%(value)s” is no time of day (08:15).")
        % {"column": column, "value": text}
    )


def moment(values: dict, column: str, tz: ZoneInfo, optional: bool = False) -> datetime | None:
    """A date with an optional time (local time of the location; midnight without one)."""
    text = values.get(column, "") if optional else required(values, column)
    if not text:
        return None
    parts = text.replace("T", " ").split(" ", 1)
    on = day({column: parts[0]}, column)
    at = clock_time({column: parts[1][:8]}, column) if len(parts) > 1 else time.min
    return datetime.combine(on, at, tzinfo=tz)


def number(values: dict, column: str, default: int, low: int = 0, high: int = 10**6) -> int:
    text = values.get(column, "")
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise RowError(
            _("“%(column)s”: “%(value)s” is no whole number.") % {"column": column, "value": text}
        ) from None
    if not low <= value <= high:
        raise RowError(
            _("“%(column)s” must be between %(low)d and %(high)d.")
            % {"column": column, "low": low, "high": high}
        )
    return value


def flag(values: dict, column: str) -> bool:
    text = values.get(column, "").casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise RowError(
        _("“%(column)s”: “%(value)s” is neither yes nor no.") % {"column": column, "value": text}
    )


def choice(values: dict, column: str, options: dict[str, str], default: str | None = None) -> str:
    """One of ``options`` (spelling in the file → value), case-insensitive."""
    text = values.get(column, "").casefold()
    if not text and default is not None:
        return default
    if text not in options:
        raise RowError(
            _("“%(column)s”: “%(value)s” is not one of %(options)s.")
            % {"column": column, "value": text, "options": ", ".join(sorted(set(options)))}
        )
    return options[text]


def known(lookup: dict, value: str, column: str):
    """The catalogue entry (location, service, team, …) a code names."""
    try:
        return lookup[value]
    except KeyError:
        raise RowError(
            _("“%(column)s”: “%(value)s” is not known here.") % {"column": column, "value": value}
        ) from None


def pairs(text: str, column: str, separator: str) -> list[tuple[str, str]]:
    """``a:2|b`` → [("a", "2"), ("b", "")] (``separator`` ":"): the lists inside one cell."""
    items = []
    for part in text.split("|"):
        part = part.strip()
        if not part:
            continue
        key, _sep, value = part.partition(separator)
        if not key.strip():
            raise RowError(_("“%(column)s”: an entry has no code.") % {"column": column})
        items.append((key.strip(), value.strip()))
    return items
