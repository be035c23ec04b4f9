"""Applicant-facing texts stored in several languages.

A translated text is a JSON object ``{"de": "...", "en": "..."}``. Offering a
further language is a settings change (``LANGUAGES``) plus the new texts; it
never needs a schema migration. German is the source language and the
fallback for every missing translation.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header

SOURCE_LANGUAGE = "de"


def supported_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def supported_language(requested: str | None) -> str | None:
    """The offered language code ``requested`` names, or None.

    Accepts ``en``, ``en-GB``, ``EN_us``; Serbian in any script or region
    (``sr``, ``sr-Latn-RS``, ``sr_Cyrl``) is the Latin-script ``sr-latn``
    offered, which every Serbian reader reads.
    """
    if not requested:
        return None
    code = requested.strip().lower().replace("_", "-")
    offered = supported_languages()
    if code in offered:
        return code
    base = code.split("-")[0]
    if base in offered:
        return base
    return next((lang for lang in offered if lang.split("-")[0] == base), None)


# Languages whose readers read Serbian in Latin script (docs/translations.md): offered
# only when nothing the browser names is, so "hr, en" still gets English.
NEIGHBOURS = {"bs": "sr-latn", "hr": "sr-latn", "cnr": "sr-latn", "sh": "sr-latn"}


def language_from_accept(header: str | None) -> str | None:
    """The first offered language of an ``Accept-Language`` header, by q-value.

    ``"ar-EG,ar;q=0.9"`` is Arabic, ``"it, fr-CH;q=0.8"`` French, Serbian in either
    script ``sr-latn``; None when nothing matches (the caller falls back to German).
    """
    if not header:
        return None
    names = [code for code, _q in parse_accept_lang_header(header) if code != "*"]
    for name in names:
        if found := supported_language(name):
            return found
    for name in names:
        if found := NEIGHBOURS.get(name.split("-")[0]):
            return found
    return None


def resolve_language(requested: str | None) -> tuple[str, bool]:
    """Return (language to use, whether the requested one was available).

    Anything unknown falls back to German.
    """
    if not requested:
        return SOURCE_LANGUAGE, True
    code = supported_language(requested)
    return (code, True) if code else (SOURCE_LANGUAGE, False)


def active_language(language: str | None = None) -> str:
    """``language`` (default: the active one) as an offered code, else German."""
    return supported_language(language or translation.get_language()) or SOURCE_LANGUAGE


def language_tag(code: str) -> str:
    """The BCP 47 tag of an offered code (``sr-latn`` → ``sr-Latn``), for mail headers
    and calendar files; they compare tags case-insensitively, people read them."""
    base, _sep, script = code.partition("-")
    return f"{base}-{script.title()}" if len(script) == 4 else code


def language_choices() -> list[tuple[str, str]]:
    """(code, name in itself) of every offered language, for a form's choices."""
    return list(settings.LANGUAGES)


def validate_language(code: str | None) -> str:
    """``code`` as an offered language, or a ValidationError naming what is offered."""
    language = supported_language(code)
    if language is None:
        raise ValidationError(
            _("“%(code)s” is not one of the offered languages (%(offered)s).")
            % {"code": code, "offered": ", ".join(supported_languages())},
            code="language",
        )
    return language


def tr(value: dict | str | None, language: str | None = None) -> str:
    """The text of ``value`` in ``language`` (default: the active one), else German."""
    return text_and_language(value, language)[0]


def text_and_language(value: dict | str | None, language: str | None = None) -> tuple[str, str]:
    """(the text ``tr`` shows, the language it is written in)."""
    language = active_language(language)
    if not value:
        return "", language
    if isinstance(value, str):
        return value, language
    if value.get(language):
        return value[language], language
    if value.get(SOURCE_LANGUAGE):
        return value[SOURCE_LANGUAGE], SOURCE_LANGUAGE
    return next(((v, code) for code, v in value.items() if v), ("", language))


def tr_html(value: dict | str | None, language: str | None = None) -> str:
    """``tr`` for an HTML page: a text the page's language lacks is shown in German,
    marked ``lang="de"`` (screen readers switch their voice) and followed by a short
    note in the page's language, so an applicant knows why and never sees a blank."""
    language = active_language(language)
    text, written_in = text_and_language(value, language)
    if written_in == language or not text:
        return conditional_escape(text)
    # dir: a German sentence keeps its full stop at its end inside Arabic text.
    direction = "rtl" if written_in in settings.LANGUAGES_BIDI else "ltr"
    if written_in != SOURCE_LANGUAGE:
        return format_html('<span lang="{}" dir="{}">{}</span>', written_in, direction, text)
    with translation.override(language):
        note = str(_("(in German)"))
    return format_html(
        '<span lang="{}" dir="{}">{}</span> <span class="translation-note">{}</span>',
        written_in,
        direction,
        text,
        note,
    )


class TranslatedTextWidget(forms.MultiWidget):
    template_name = "core/widgets/translated_text.html"

    def __init__(self, multiline: bool = False, attrs=None):
        widget = forms.Textarea(attrs={"rows": 3}) if multiline else forms.TextInput()
        self.languages = supported_languages()
        super().__init__([widget] * len(self.languages), attrs)

    def decompress(self, value):
        value = value or {}
        return [value.get(code, "") for code in self.languages]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        names = dict(settings.LANGUAGES)
        for code, subwidget in zip(self.languages, context["widget"]["subwidgets"], strict=True):
            subwidget["language_code"] = code
            subwidget["language_name"] = names[code]
        return context


class TranslatedTextFormField(forms.MultiValueField):
    def __init__(self, *, multiline: bool = False, required: bool = True, **kwargs):
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        kwargs.pop("max_length", None)
        languages = supported_languages()
        fields = [forms.CharField(required=False, strip=True) for _ in languages]
        super().__init__(
            fields=fields,
            widget=TranslatedTextWidget(multiline=multiline),
            require_all_fields=False,
            required=required,
            **kwargs,
        )
        self.languages = languages

    def compress(self, data_list):
        if not data_list:
            return {}
        return {code: text for code, text in zip(self.languages, data_list, strict=True) if text}

    def validate(self, value):
        if self.required and not (value or {}).get(SOURCE_LANGUAGE):
            raise ValidationError(_("The German text is required."), code="required")


class TranslatedTextField(models.JSONField):
    """A JSON object of texts by language code, edited as one input per language."""

    def __init__(self, *args, multiline: bool = False, **kwargs):
        self.multiline = multiline
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.multiline:
            kwargs["multiline"] = True
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise ValidationError(_("Texts must be given per language code."), code="invalid")
        if not self.blank and not value.get(SOURCE_LANGUAGE):
            raise ValidationError(_("The German text is required."), code="required")

    def formfield(self, **kwargs):
        return TranslatedTextFormField(
            multiline=self.multiline,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
        )
