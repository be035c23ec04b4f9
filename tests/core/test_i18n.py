from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from willkommen.core.i18n import TranslatedTextField, TranslatedTextFormField, resolve_language, tr


def test_tr_uses_active_language_then_german():
    value = {"de": "Aufenthaltserlaubnis", "en": "Residence permit"}
    with translation.override("en"):
        assert tr(value) == "Residence permit"
    assert tr(value, "de") == "Aufenthaltserlaubnis"
    assert tr({"de": "Nur deutsch"}, "en") == "Nur deutsch"
    assert tr({"de": "", "en": "Only English"}, "de") == "Only English"
    assert tr(None) == ""
    assert tr({}) == ""


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        ("en", ("en", True)),
        ("en-GB", ("en", True)),
        ("EN_us", ("en", True)),
        ("de", ("de", True)),
        ("fr", ("fr", True)),
        ("it", ("de", False)),
        ("sr", ("sr-latn", True)),
        ("sr-Latn-RS", ("sr-latn", True)),
        ("sr_Cyrl", ("sr-latn", True)),
        ("ar-EG", ("ar", True)),
        ("xx-YY", ("de", False)),
        ("", ("de", True)),
        (None, ("de", True)),
    ],
)
def test_resolve_language(requested, expected):
    assert resolve_language(requested) == expected


def test_translated_field_requires_german_text():
    field = TranslatedTextField()
    field.set_attributes_from_name("name")
    with pytest.raises(ValidationError):
        field.clean({"en": "English only"}, None)
    with pytest.raises(ValidationError):
        field.clean({"de": 5}, None)
    assert field.clean({"de": "Deutsch", "en": "German"}, None) == {"de": "Deutsch", "en": "German"}


def test_translated_field_allows_blank_when_optional():
    field = TranslatedTextField(blank=True)
    field.set_attributes_from_name("note")
    assert field.clean({}, None) == {}


def test_form_field_collects_one_text_per_language():
    form_field = TranslatedTextFormField()
    assert form_field.clean(["Deutsch", "English"]) == {"de": "Deutsch", "en": "English"}
    assert form_field.clean(["Nur Deutsch", ""]) == {"de": "Nur Deutsch"}
    with pytest.raises(ValidationError):
        form_field.clean(["", "English only"])


def test_a_text_shared_by_apps_has_one_german_translation():
    """Django merges the apps' catalogues, the app listed first winning a shared msgid: two
    apps translating one text differently would show one app the other's words. A text
    that needs other words in another app takes a context (pgettext), e.g. "case file"."""
    import polib
    from django.apps import apps

    translations: dict = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("willkommen."):
            continue  # core overrides some of Django's own texts on purpose
        path = Path(config.path) / "locale" / "de" / "LC_MESSAGES" / "django.po"
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgstr:
                continue
            translations.setdefault((entry.msgctxt, entry.msgid), {})[config.label] = entry.msgstr
    clashes = {key: apps_ for key, apps_ in translations.items() if len(set(apps_.values())) > 1}
    assert clashes == {}
