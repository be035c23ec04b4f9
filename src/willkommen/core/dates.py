"""Dates as each language writes them: the one helper for pages, mails and PDFs.

German "Dienstag, 8. Dezember 2026", English "Tuesday, 8 December 2026" (British
order: the day before the month, as the offices' English texts are written), and
so for each of the nine offered languages (PATTERNS). A language offered later
without patterns here uses Django's formats of that language.
Templates use the ``date_text`` filter (core/templatetags/willkommen.py).
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, translation

from willkommen.core.i18n import active_language

# style: what the text says. "weekday" for an appointment day, "long" for a date in
# running text, "short" for tables, "*_datetime" with the time. Times are 24-hour
# everywhere (the office's signs and letters are). Each language's order and
# punctuation follow Django's locale formats where they are right, and the
# language's usual writing where Django's are missing or unusual (Arabic has no
# time formats, Albanian's short date is ISO, Turkish's short date names the month).
# "E" is the month's name as it stands after a day (Russian, Ukrainian genitive).
PATTERNS = {
    "de": {
        "weekday": "l, j. F Y",
        "long": "j. F Y",
        "short": "d.m.Y",
        "short_weekday": "D j. F",
        "datetime": "j. F Y, H:i",
        "short_datetime": "d.m.Y H:i",
    },
    "en": {
        "weekday": "l, j F Y",
        "long": "j F Y",
        "short": "d/m/Y",
        "short_weekday": "D j F",
        "datetime": "j F Y, H:i",
        "short_datetime": "d/m/Y H:i",
    },
    "fr": {
        "weekday": "l j F Y",
        "long": "j F Y",
        "short": "d/m/Y",
        "short_weekday": "D j F",
        "datetime": "j F Y, H:i",
        "short_datetime": "d/m/Y H:i",
    },
    "ru": {
        "weekday": "l, j E Y г.",
        "long": "j E Y г.",
        "short": "d.m.Y",
        "short_weekday": "D, j E",
        "datetime": "j E Y г., H:i",
        "short_datetime": "d.m.Y H:i",
    },
    "uk": {
        "weekday": "l, j E Y р.",
        "long": "j E Y р.",
        "short": "d.m.Y",
        "short_weekday": "D, j E",
        "datetime": "j E Y р., H:i",
        "short_datetime": "d.m.Y H:i",
    },
    "ar": {
        "weekday": "l، j F Y",
        "long": "j F Y",
        "short": "d/m/Y",
        "short_weekday": "D، j F",
        "datetime": "j F Y، H:i",
        "short_datetime": "d/m/Y H:i",
    },
    "tr": {
        "weekday": "j F Y l",
        "long": "j F Y",
        "short": "d.m.Y",
        "short_weekday": "j F D",
        "datetime": "j F Y, H:i",
        "short_datetime": "d.m.Y H:i",
    },
    "sq": {
        "weekday": "l, j F Y",
        "long": "j F Y",
        "short": "d.m.Y",
        "short_weekday": "D, j F",
        "datetime": "j F Y, H:i",
        "short_datetime": "d.m.Y H:i",
    },
    "sr-latn": {
        "weekday": "l, j. F Y.",
        "long": "j. F Y.",
        "short": "d.m.Y.",
        "short_weekday": "D, j. F",
        "datetime": "j. F Y. H:i",
        "short_datetime": "d.m.Y. H:i",
    },
}
# A language added to LANGUAGES without patterns here: Django's formats of it.
FALLBACK = {
    "weekday": "l, {DATE_FORMAT}",
    "long": "{DATE_FORMAT}",
    "short": "{SHORT_DATE_FORMAT}",
    "short_weekday": "D {DATE_FORMAT}",
    "datetime": "{DATETIME_FORMAT}",
    "short_datetime": "{SHORT_DATETIME_FORMAT}",
}
STYLES = tuple(FALLBACK)


def pattern(style: str, language: str) -> str:
    if style not in FALLBACK:
        raise ValueError(f"unknown date style {style!r}; one of {', '.join(STYLES)}")
    own = PATTERNS.get(language)
    if own:
        return own[style]
    name = FALLBACK[style].split("{", 1)[1].split("}", 1)[0]
    return FALLBACK[style].replace("{" + name + "}", formats.get_format(name, lang=language))


def format_date(value: date | datetime | None, style: str = "long", language: str | None = None):
    """``value`` as ``language`` (default: the active one) writes it, in ``style``.

    A datetime is shown in its own time zone: convert it to the location's first
    (templates do that for the filter, as for Django's ``date``).
    """
    if value is None or value == "":
        return ""
    language = active_language(language)
    with translation.override(language):
        return formats.date_format(value, pattern(style, language))
