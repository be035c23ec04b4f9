"""What the office writes to a person who complained: the acknowledgement and letters
made from staff's templates, each in the language the person used."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from willkommen.complaints.models import AnswerTemplate, Category, Complaint
from willkommen.core.dates import format_date
from willkommen.core.i18n import text_and_language


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str
    language: str


def _signature() -> str:
    return "\n\n" + _("Kind regards") + "\n" + settings.OFFICE_NAME


def acknowledgement(complaint: Complaint) -> Letter:
    with translation.override(complaint.language):
        if complaint.category == Category.PRAISE:
            opening = _("Thank you for your kind words. We have passed them on.")
        else:
            opening = _(
                "Thank you for your message. We have received your complaint and will "
                "answer you by %(date)s at the latest."
            ) % {"date": format_date(complaint.due_on, "long")}
        body = (
            opening
            + "\n\n"
            + _("Reference of your complaint: %(reference)s") % {"reference": complaint.reference}
            + "\n\n"
            + _("Please give this reference if you write to us again.")
        )
        return Letter(
            subject=_("Your complaint %(reference)s") % {"reference": complaint.reference},
            body=body + _signature(),
            language=complaint.language,
        )


def from_template(template: AnswerTemplate, complaint: Complaint) -> Letter:
    """The template in the person's language (German where it lacks that one), filled in."""
    subject, _language = text_and_language(template.subject, complaint.language)
    body, language = text_and_language(template.body, complaint.language)
    values = {"reference": complaint.reference, "name": complaint.name or ""}
    return Letter(subject=_fill(subject, values), body=_fill(body, values), language=language)


def _fill(text: str, values: dict) -> str:
    # Plain replacement, not str.format: a stray brace in staff's text must not break it.
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text
