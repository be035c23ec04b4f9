"""Dates as each language writes them: the one helper for pages, mails and PDFs.

German "Dienstag, 8. Dezember 2026", English "Tuesday, 8 December 2026" (British
order: the day before the month, as the offices' English texts are written).
Languages without their own patterns here use Django's formats of that language.
Templates use the ``date_text`` filter (core/templatetags/willkommen.py).
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, translation

from willkommen.core.i18n import active_language

# style: what the text says. "weekday" for an appointment day, "long" for a date in
# running text, "short" for tables, "*_datetime" with the time.
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
}
# Elsewhere: Django's formats of the language (its translated names and order).
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
