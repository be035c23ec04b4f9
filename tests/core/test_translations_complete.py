"""Every applicant-facing text exists in all nine languages (issue 18).

Fails, listing what is missing, when a public string (a template, mail, PDF or
message of a public source, core.translations.PUBLIC_SOURCES) has no translation
in an app's .po file, or when a catalogue text of the demo data (the demo
catalogue and the demo case types with their statuses and contact topics, as
``manage.py load_demo_catalog`` / ``load_demo_cases`` load them) lacks a language.
``manage.py translation_status --list`` shows the same; docs/translations.md says
how to fill the gaps. Not skipped while translations are missing: that is the point.
"""

import pytest
from django.conf import settings

from willkommen.cases.casetypes import load_case_types_file
from willkommen.catalog.services import load_catalog_file
from willkommen.core import translations

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SHOWN = 60  # per failure: enough to act on, short enough to read


def listing(lines: list[str]) -> str:
    more = f"\n  … and {len(lines) - SHOWN} more" if len(lines) > SHOWN else ""
    return "\n  ".join(["", *lines[:SHOWN]]) + more


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_string_is_translated(language):
    missing = translations.missing_messages(language)
    lines = [
        f"{m.app}: {m.msgid!r}" + (f" [context {m.msgctxt!r}]" if m.msgctxt else "")
        for m in missing
    ]
    assert not missing, f"{len(missing)} public strings lack {language}:{listing(lines)}"


@pytest.fixture
def demo_data(db):
    load_catalog_file()
    load_case_types_file()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_demo_catalogue_text_is_translated(demo_data, language):
    missing = translations.missing_texts(language)
    lines = [f"{t.model} #{t.pk} {t.field}: {t.german[:70]!r}" for t in missing]
    assert not missing, f"{len(missing)} demo catalogue texts lack {language}:{listing(lines)}"


def test_the_demo_data_is_there(demo_data):
    """Guards the two tests above against passing on an empty catalogue."""
    counted = {
        model._meta.label: model._default_manager.count()
        for model, _names in translations.translated_fields()
    }
    assert counted["catalog.Service"] >= 20 and counted["cases.StatusType"] > 0
    assert counted["cases.ContactTopic"] > 0
