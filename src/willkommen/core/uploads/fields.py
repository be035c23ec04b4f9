"""The form side of the gate: a file field that checks, and keeps what passed.

``CheckedFileField`` runs ``check_upload`` in the form's validation, so a
refusal is the field's own error in the page's language, and its cleaned value
is a ``CheckedFile``. A form with ``KeepsAcceptedFiles`` holds the files that
passed when anything else in it was refused (``held``); the widget then shows
the held file's name and carries its token, and an empty file input with a
token means "keep the held file".
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext as _

from willkommen.core.uploads import CheckedFile, check_upload, held
from willkommen.core.uploads.content import UploadRefused, allowed_kinds


def _help_text() -> str:
    labels = ", ".join(kind.label for kind in allowed_kinds())
    megabytes = round(settings.UPLOAD_MAX_BYTES / 1024 / 1024)
    return _("%(types)s, at most %(mb)s MB.") % {"types": labels, "mb": megabytes}


help_text = lazy(_help_text, str)


def accept_attribute() -> str:
    """For the file input: the browser offers only files of the allowed types."""
    kinds = allowed_kinds()
    return ",".join([k.mime for k in kinds] + [f".{e}" for k in kinds for e in k.extensions])


class HeldToken(str):
    """The widget's value when no new file was chosen but one is held."""


class HeldFileInput(forms.FileInput):
    def held_name(self, name: str) -> str:
        return f"{name}-held"

    def value_from_datadict(self, data, files, name):
        upload = files.get(name)
        if upload is not None:
            return upload
        token = data.get(self.held_name(name))
        return HeldToken(token) if token else None

    def value_omitted_from_data(self, data, files, name):
        return name not in files and self.held_name(name) not in data

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, None, attrs, renderer)
        shown = held.describe(value) if isinstance(value, HeldToken) else None
        if shown is None:
            return html
        note = _("Received and checked: %(name)s. Choose a file only to replace it.") % {
            "name": shown
        }
        return format_html(
            '{}<input type="hidden" name="{}" value="{}"><p class="kern-hint upload-held">{}</p>',
            html,
            self.held_name(name),
            value,
            note,
        )


class CheckedFileField(forms.FileField):
    widget = HeldFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", help_text())
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", accept_attribute())

    def to_python(self, data):
        if data in self.empty_values:
            return None
        try:
            if isinstance(data, HeldToken):
                return held.take(data)
            return check_upload(super().to_python(data))
        except UploadRefused as refused:
            raise forms.ValidationError(refused.message, code="refused") from refused

    def clean(self, data, initial=None):
        return forms.Field.clean(self, data)

    def bound_data(self, data, initial):
        return data


class KeepsAcceptedFiles:
    """For a form with file fields that may fail elsewhere: keep what passed."""

    def checked_files(self) -> dict[str, CheckedFile]:
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: cleaned[name]
            for name, field in self.fields.items()
            if isinstance(field, CheckedFileField) and isinstance(cleaned.get(name), CheckedFile)
        }

    def keep_accepted_files(self) -> None:
        """Hold each file that passed, so the page shows it and the next submission keeps it."""
        data, files = self.data.copy(), self.files.copy()
        for name, checked in self.checked_files().items():
            key = self.add_prefix(name)
            data[self.fields[name].widget.held_name(key)] = held.hold(checked)
            files.pop(key, None)
        self.data, self.files = data, files

    def release_held_files(self) -> None:
        """After the files were stored for good: their held copies go."""
        for checked in self.checked_files().values():
            held.release(checked)
