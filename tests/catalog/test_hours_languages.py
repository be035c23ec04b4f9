"""Opening hours in every offered language (issue 18), made from the same rows as the
bookable times: day and month names from the language's locale data, its own comma,
the month in the form that follows a day number."""

import pytest
from django.conf import settings

from willkommen.catalog.hours import hours_text

ROWS = [
    {"days": ["mon", "tue", "fri"], "from": "07:30", "until": "12:00"},
    {"days": ["thu"], "from": "07:30", "until": "12:00"},
    {"days": ["thu"], "from": "14:00", "until": "17:30"},
]
CLOSED_ON = ["12-24", "12-31"]


@pytest.fixture
def texts():
    return hours_text(ROWS, CLOSED_ON, {"de": "Nur mit Termin.", "ar": "بموعد فقط."})


def test_every_language_gets_its_own_text(texts):
    assert set(texts) == {code for code, _name in settings.LANGUAGES}
    german = texts["de"]
    assert german.splitlines() == [
        "Mo, Di, Fr 7:30–12:00",
        "Do 7:30–12:00 und 14:00–17:30",
        "Mi geschlossen",
        "24. und 31. Dezember geschlossen",
        "Nur mit Termin.",
    ]
    for code, text in texts.items():
        assert text and "7:30–12:00" in text
        if code != "de":
            assert "Dezember" not in text and "Mo, Di" not in text, code


def test_names_follow_the_language(texts):
    assert "декабря" in texts["ru"]  # genitive after a day number
    assert "грудня" in texts["uk"]
    assert texts["ar"].startswith("الإثنين، ")  # the Arabic comma
    assert "بموعد فقط." in texts["ar"]
    assert "Aralık" in texts["tr"] and " ve " in texts["tr"]
    assert "décembre" in texts["fr"].lower()
    # A language without its own note shows the German one rather than nothing.
    assert texts["fr"].splitlines()[-1] == "Nur mit Termin."
