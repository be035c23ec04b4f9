"""Opening hours as data, and the text a location's page shows from them.

A catalogue file may give a location ``hours`` (rows of weekdays and times, some only
for one team) and ``closed_on`` (days of the year, "MM-DD"), plus ``hours_note``.
The page's text is made from these rows, and the demo's opening rules for booking
are made from the same rows (booking's ``load_demo_booking``), so the published
hours and the bookable times cannot disagree.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.utils import translation
from django.utils.dates import MONTHS as DJANGO_MONTHS
from django.utils.dates import MONTHS_ALT as DJANGO_MONTHS_ALT
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import pgettext

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_NAMES = {
    "de": ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"],
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
}
MONTHS = {
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}  # fmt: skip
WORDS = {
    "de": {"and": "und", "closed": "geschlossen", "closed_on": "{days} geschlossen"},
    "en": {"and": "and", "closed": "closed", "closed_on": "Closed on {days}"},
}
# The list separator where it is not ", " (Arabic has its own comma).
SEPARATOR = {"ar": "، "}
# Languages whose month after a day number takes another form ("31 декабря").
GENITIVE_MONTHS = {"ru", "uk"}


def _names(language: str) -> tuple[list[str], list[str], dict[str, str]]:
    """Day abbreviations, month names and the joining words of ``language``.

    German and English keep the office's own abbreviations; the other languages take
    Django's locale data and the words from the catalogue.
    """
    if language in DAY_NAMES:
        return DAY_NAMES[language], MONTHS[language], WORDS[language]
    with translation.override(language):
        days = [str(WEEKDAYS_ABBR[day]) for day in range(7)]
        months_source = DJANGO_MONTHS_ALT if language in GENITIVE_MONTHS else DJANGO_MONTHS
        months = [str(months_source[month]) for month in range(1, 13)]
        words = {
            "and": pgettext("opening hours", "and"),
            "closed": pgettext("opening hours", "closed"),
            # Translators: {days} is e.g. "24 and 31 December".
            "closed_on": pgettext("opening hours", "Closed on {days}"),
        }
    return days, months, words


WORKING_DAYS = range(5)


def parse_time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def weekdays_of(row: dict) -> list[int]:
    return [WEEKDAYS.index(day) for day in row["days"]]


def _clock(text: str) -> str:
    moment = parse_time(text)
    return f"{moment.hour}:{moment.minute:02d}"


def _joined(parts: list[str], language: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    separator = SEPARATOR.get(language, ", ")
    return f"{separator.join(parts[:-1])} {_names(language)[2]['and']} {parts[-1]}"


def _day_list(days: list[int], language: str, *, conjunction: bool = False) -> str:
    names = [_names(language)[0][day] for day in days]
    return _joined(names, language) if conjunction else SEPARATOR.get(language, ", ").join(names)


def _closed_day(text: str, language: str) -> tuple[int, str]:
    month, day = (int(part) for part in text.split("-"))
    return month, (f"{day}." if language == "de" else str(day))


def _closed_on(days: list[str], language: str) -> str:
    """["12-24", "12-31"] → "24. und 31. Dezember" / "24 and 31 December"."""
    by_month: dict[int, list[str]] = {}
    for text in days:
        month, day = _closed_day(text, language)
        by_month.setdefault(month, []).append(day)
    parts = [
        f"{_joined(numbers, language)} {_names(language)[1][month - 1]}"
        for month, numbers in by_month.items()
    ]
    return _names(language)[2]["closed_on"].format(days=_joined(parts, language))


def hours_text(hours: list[dict], closed_on: list[str], note: dict) -> dict[str, str]:
    """The opening hours as each offered language writes them, one line each."""
    texts = {}
    for language, _name in settings.LANGUAGES:
        general: dict[int, list[str]] = {}
        team_lines = []
        for row in hours:
            span = f"{_clock(row['from'])}–{_clock(row['until'])}"
            if row.get("team"):
                label = row["team_label"].get(language) or row["team_label"]["de"]
                team_lines.append(f"{_day_list(weekdays_of(row), language)} {span}: {label}")
                continue
            for day in weekdays_of(row):
                general.setdefault(day, []).append(span)
        lines, seen = [], set()
        for day in sorted(general):
            spans = tuple(general[day])
            if spans in seen:
                continue
            seen.add(spans)
            same = [other for other in sorted(general) if tuple(general[other]) == spans]
            lines.append(f"{_day_list(same, language)} {_joined(list(spans), language)}")
        lines += team_lines
        team_days = {day for row in hours if row.get("team") for day in weekdays_of(row)}
        closed = [day for day in WORKING_DAYS if day not in general and day not in team_days]
        if closed:
            lines.append(
                f"{_day_list(closed, language, conjunction=True)} {_names(language)[2]['closed']}"
            )
        if closed_on:
            lines.append(_closed_on(closed_on, language))
        if note.get(language) or note.get("de"):  # a note not yet translated stays German
            lines.append(note.get(language) or note["de"])
        texts[language] = "\n".join(lines)
    return texts
