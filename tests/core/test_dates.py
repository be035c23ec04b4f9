"""One helper formats every date per language (issue 16): core/dates.py and its filter."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.utils import translation

from willkommen.core.dates import STYLES, format_date

TUESDAY = date(2026, 12, 8)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", "Dienstag, 8. Dezember 2026"), ("en", "Tuesday, 8 December 2026")],
)
def test_weekday_dates_as_each_language_writes_them(language, expected):
    assert format_date(TUESDAY, "weekday", language) == expected
    with translation.override(language):
        rendered = engines["django"].from_string(
            '{% load willkommen %}{{ day|date_text:"weekday" }}'
        )
        assert rendered.render({"day": TUESDAY}) == expected


def test_every_style_works_in_every_language(settings):
    moment = datetime(2026, 12, 8, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    for language, _name in settings.LANGUAGES:
        for style in STYLES:
            assert format_date(moment, style, language)
    assert format_date(TUESDAY, "short", "en") == "08/12/2026"
    assert format_date(moment, "short_datetime", "de") == "08.12.2026 09:30"


def test_unknown_style_is_refused():
    with pytest.raises(ValueError):
        format_date(TUESDAY, "fancy", "de")
