"""Which applicant-facing texts lack a language.

Two kinds of text reach applicants: the fixed strings of templates and code,
kept in each app's ``locale/<lang>/LC_MESSAGES/django.po``, and the catalogue
content staff edit, kept in ``TranslatedTextField`` values. Staff pages speak
German only, so only strings used by a public source count: a message is
public when one of its ``#:`` references (written by ``makemessages``) names a
file matching ``PUBLIC_SOURCES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.utils.translation import to_locale

from willkommen.core.i18n import SOURCE_LANGUAGE, TranslatedTextField, supported_languages

# Paths relative to an app's directory ("<app>/<path>"): the templates, mails,
# PDFs, API answers and messages an applicant can see.
PUBLIC_SOURCES = (
    "core/templates/*.html",
    "core/templates/core/includes/*.html",
    "core/templates/core/privacy.html",
    "core/*.py",
    "accessibility/templates/accessibility/*.html",
    "accessibility/forms.py",
    "accessibility/models.py",
    "accessibility/states.py",
    "accessibility/views.py",
    "accounts/templates/accounts/login.html",
    "accounts/templates/accounts/includes/password_form.html",
    "accounts/sso/views.py",
    "catalog/templates/catalog/*.html",
    "catalog/*.py",
    "booking/templates/booking/*.html",
    "booking/templates/booking/mail/*",
    "booking/api.py",
    "booking/documents.py",
    "booking/errors.py",
    "booking/forms.py",
    "booking/mails.py",
    "booking/models/*.py",
    "booking/services/*.py",
    "booking/views.py",
    "booking/manage_views.py",
    "booking/apps.py",
    "cases/templates/cases/application_form.html",
    "cases/templates/cases/contact_form.html",
    "cases/templates/cases/status_lookup.html",
    "cases/templates/cases/status_page.html",
    "cases/templates/cases/submitted.html",
    "cases/public_views.py",
    "cases/api.py",
    "cases/apps.py",
    "cases/errors.py",
    "cases/forms.py",
    "cases/letters.py",
    "cases/transitions.py",
    "cases/services/*.py",
    "complaints/templates/complaints/*.html",
    "complaints/apps.py",
    "complaints/categories.py",
    "complaints/letters.py",
    "complaints/public_forms.py",
    "complaints/views.py",
    "intake/receipts.py",
    "outreach/templates/outreach/extension_form.html",
    "outreach/templates/outreach/invalid_link.html",
    "outreach/templates/outreach/already_applied.html",
    "outreach/templates/outreach/receipt.html",
    "outreach/templates/outreach/verify.html",
    "outreach/templates/outreach/status_panel.html",
    "outreach/apps.py",
    "outreach/forms.py",
    "outreach/letters.py",
    "outreach/public_views.py",
    "outreach/services.py",
    "frontdesk/templates/frontdesk/display.html",
    "frontdesk/templates/frontdesk/ticket.html",
    "frontdesk/templates/frontdesk/ticket_print.html",
    "frontdesk/templates/frontdesk/_ticket_status.html",
    "frontdesk/display.py",
    "frontdesk/tickets.py",
    "frontdesk/states.py",
    "payments/templates/payments/return.html",
    "payments/templates/payments/status_section.html",
    "payments/views.py",
    "payments/services.py",
    "payments/errors.py",
    "payments/mails.py",
)


def _package_apps():
    package = Path(settings.PACKAGE_DIR)
    return [app for app in apps.get_app_configs() if Path(app.path).is_relative_to(package)]


def _matches(path: str, pattern: str) -> bool:
    """Like a shell glob: ``*`` stays within one folder (``booking/templates/booking/*``
    does not take ``booking/templates/booking/staff/…``)."""
    parts, wanted = path.split("/"), pattern.split("/")
    return len(parts) == len(wanted) and all(map(fnmatchcase, parts, wanted))


def is_public(app_label: str, entry: polib.POEntry) -> bool:
    for path, _line in entry.occurrences:
        if any(_matches(f"{app_label}/{path}", pattern) for pattern in PUBLIC_SOURCES):
            return True
    return False


def catalogue_path(app_path: str | Path, language: str) -> Path:
    return Path(app_path) / "locale" / to_locale(language) / "LC_MESSAGES" / "django.po"


@dataclass(frozen=True)
class MissingMessage:
    app: str
    msgid: str
    msgctxt: str | None


def missing_messages(language: str) -> list[MissingMessage]:
    """Public strings without a (non-fuzzy) translation into ``language``.

    English is the language of the message ids: an English entry without a
    translation shows its id, which is the English text, so it never counts.
    """
    if language == "en":
        return []
    missing = []
    for app in _package_apps():
        path = catalogue_path(app.path, language)
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not is_public(app.label, entry):
                continue
            translated = (
                all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
            )
            if not translated or "fuzzy" in entry.flags:
                missing.append(MissingMessage(app.label, entry.msgid, entry.msgctxt))
    return missing


@dataclass(frozen=True)
class MissingText:
    model: str
    pk: object
    field: str
    german: str


def translated_fields():
    """(model, [TranslatedTextField names]) for every model that has any."""
    for model in apps.get_models():
        names = [f.name for f in model._meta.get_fields() if isinstance(f, TranslatedTextField)]
        if names:
            yield model, names


def missing_texts(language: str) -> list[MissingText]:
    """Catalogue texts that have German but nothing in ``language``."""
    missing = []
    for model, names in translated_fields():
        for pk, *values in model._default_manager.values_list("pk", *names).iterator():
            for name, value in zip(names, values, strict=True):
                value = value or {}
                if value.get(SOURCE_LANGUAGE) and not value.get(language):
                    missing.append(MissingText(model._meta.label, pk, name, value[SOURCE_LANGUAGE]))
    return missing


def missing_languages(value: dict | None) -> list[str]:
    """The offered languages a translated text lacks (none when it has no German)."""
    value = value or {}
    if not value.get(SOURCE_LANGUAGE):
        return []
    return [code for code in supported_languages() if not value.get(code)]
