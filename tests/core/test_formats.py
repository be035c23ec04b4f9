"""A date, a number and a plural per language (issue 18).

The plural test uses a catalogue written here under LOCALE_PATHS (not the shipped
ones, which translators are still filling), with the Plural-Forms formula the
shipped catalogues declare: it checks that formula picks the form each language
needs (Arabic six, Russian, Ukrainian and Serbian three).
"""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import polib
import pytest
from django.conf import settings
from django.template import engines
from django.utils import translation
from django.utils.translation import to_locale

import willkommen.core
from willkommen.core.dates import format_date
from willkommen.core.numbers import format_euro, format_number

MOMENT = datetime(2026, 12, 8, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))

DATES = {
    "de": ("Dienstag, 8. Dezember 2026", "08.12.2026", "8. Dezember 2026, 09:30"),
    "en": ("Tuesday, 8 December 2026", "08/12/2026", "8 December 2026, 09:30"),
    "fr": ("mardi 8 décembre 2026", "08/12/2026", "8 décembre 2026, 09:30"),
    "ru": ("Вторник, 8 декабря 2026 г.", "08.12.2026", "8 декабря 2026 г., 09:30"),
    "uk": ("Вівторок, 8 грудня 2026 р.", "08.12.2026", "8 грудня 2026 р., 09:30"),
    "ar": ("الثلاثاء، 8 ديسمبر 2026", "08/12/2026", "8 ديسمبر 2026، 09:30"),
    "tr": ("8 Aralık 2026 Salı", "08.12.2026", "8 Aralık 2026, 09:30"),
    "sq": ("E martë, 8 Dhjetor 2026", "08.12.2026", "8 Dhjetor 2026, 09:30"),
    "sr-latn": ("utorak, 8. decembar 2026.", "08.12.2026.", "8. decembar 2026. 09:30"),
}


@pytest.mark.parametrize("language", list(DATES))
def test_a_date_as_each_language_writes_it(language):
    weekday, short, with_time = DATES[language]
    assert format_date(MOMENT.date(), "weekday", language) == weekday
    assert format_date(date(2026, 12, 8), "short", language) == short
    assert format_date(MOMENT, "datetime", language) == with_time


def test_every_offered_language_has_its_own_patterns():
    from willkommen.core.dates import PATTERNS, STYLES

    for code, _name in settings.LANGUAGES:
        assert set(PATTERNS[code]) == set(STYLES), code


NBSP = "\u00a0"
# Thousands are grouped from 10,000 on (a four-digit amount reads better without).
NUMBERS = {
    "de": ("12.345,5", "3,5", f"1234,50{NBSP}€"),
    "en": ("12,345.5", "3.5", "€1234.50"),
    "fr": (f"12{NBSP}345,5", "3,5", f"1234,50{NBSP}€"),
    "ru": (f"12{NBSP}345,5", "3,5", f"1234,50{NBSP}€"),
    "uk": (f"12{NBSP}345,5", "3,5", f"1234,50{NBSP}€"),
    "ar": ("12345,5", "3,5", f"1234,50{NBSP}€"),
    "tr": ("12.345,5", "3,5", f"1234,50{NBSP}€"),
    "sq": ("12345,5", "3,5", f"1234,50{NBSP}€"),
    "sr-latn": ("12.345,5", "3,5", f"1234,50{NBSP}€"),
}


@pytest.mark.parametrize("language", list(NUMBERS))
def test_a_number_as_each_language_writes_it(language):
    large, small, amount = NUMBERS[language]
    assert format_number(Decimal("12345.5"), 1, language) == large
    assert format_number(3.5, 1, language) == small
    assert format_euro(123450, language) == amount
    with translation.override(language):
        rendered = engines["django"].from_string("{% load willkommen %}{{ x|number:1 }}")
        assert rendered.render({"x": 3.5}) == small


# n -> the index of the plural form gettext must pick (CLDR's categories in gettext order).
PLURALS = {
    "de": {0: 1, 1: 0, 2: 1, 5: 1},
    "en": {0: 1, 1: 0, 2: 1, 5: 1},
    "tr": {0: 1, 1: 0, 2: 1, 5: 1},
    "sq": {0: 1, 1: 0, 2: 1, 5: 1},
    "fr": {0: 0, 1: 0, 2: 1, 5: 1},
    # one, few, many / other
    "ru": {1: 0, 21: 0, 2: 1, 4: 1, 22: 1, 5: 2, 11: 2, 12: 2, 14: 2, 0: 2, 100: 2},
    "uk": {1: 0, 21: 0, 2: 1, 4: 1, 22: 1, 5: 2, 11: 2, 12: 2, 14: 2, 0: 2, 100: 2},
    "sr-latn": {1: 0, 21: 0, 2: 1, 3: 1, 24: 1, 5: 2, 11: 2, 13: 2, 0: 2},
    # zero, one, two, few, many, other
    "ar": {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 103: 3, 11: 4, 99: 4, 100: 5, 102: 5},
}
FORMS = {"de": 2, "en": 2, "tr": 2, "sq": 2, "fr": 2, "ru": 3, "uk": 3, "sr-latn": 3, "ar": 6}
MSGID = "%(count)s test file"


def shipped_plural_forms(language: str) -> str:
    path = Path(willkommen.core.__file__).parent / "locale" / to_locale(language)
    return polib.pofile(str(path / "LC_MESSAGES" / "django.po")).metadata["Plural-Forms"]


@pytest.fixture
def test_catalogue(tmp_path, settings):
    """A catalogue of one plural message per language: form i is "form i %(count)s"."""
    for language, forms in FORMS.items():
        catalogue = polib.POFile()
        catalogue.metadata = {
            "Content-Type": "text/plain; charset=UTF-8",
            "Plural-Forms": shipped_plural_forms(language),
        }
        catalogue.append(
            polib.POEntry(
                msgid=MSGID,
                msgid_plural="%(count)s test files",
                msgstr_plural={i: f"form {i} %(count)s" for i in range(forms)},
            )
        )
        directory = tmp_path / to_locale(language) / "LC_MESSAGES"
        directory.mkdir(parents=True)
        catalogue.save_as_mofile(str(directory / "django.mo"))
    settings.LOCALE_PATHS = [tmp_path]  # the setting_changed signal resets Django's caches
    return tmp_path


@pytest.mark.parametrize("language", list(PLURALS))
def test_a_plural_per_language(test_catalogue, language):
    assert f"nplurals={FORMS[language]};" in shipped_plural_forms(language).replace(" ", "")
    with translation.override(language):
        for count, form in PLURALS[language].items():
            text = translation.ngettext(MSGID, "%(count)s test files", count) % {"count": count}
            assert text == f"form {form} {count}", (language, count)
        rendered = engines["django"].from_string(
            "{% load i18n %}{% blocktranslate count count=n %}{{ count }} test file"
            "{% plural %}{{ count }} test files{% endblocktranslate %}"
        )
        assert rendered.render({"n": 2}) == f"form {PLURALS[language][2]} 2"
