"""What the office writes to applicants: confirmations, the receipt (PDF and mail), status mails.

Each text is rendered in the case's language (the language the applicant used).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from willkommen.cases.forecast import Forecast
from willkommen.cases.models import Case, ContactRequest, StatusType
from willkommen.core.dates import format_date
from willkommen.core.i18n import tr
from willkommen.core.pdf import OfficePDF


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str


def local_date(moment) -> str:
    """The day in the office's time zone (stored times are UTC), in the letter's language."""
    return format_date(timezone.localtime(moment), "long")


def forecast_range(forecast: Forecast | None) -> str:
    if forecast is None:
        return _("We cannot give a forecast yet; we will tell you as soon as we can.")
    return _("usually %(low)d to %(high)d weeks") % {
        "low": forecast.weeks_low,
        "high": forecast.weeks_high,
    }


def _signature() -> str:
    closing = _("Kind regards")
    return f"\n\n{closing}\n{settings.OFFICE_NAME}"


def confirmation(case: Case, code: str, link: str) -> Letter:
    with translation.override(case.language):
        body = _(
            "Thank you. We have received your application “%(service)s”.\n\n"
            "Reference: %(reference)s\nAccess code: %(code)s\n\n"
            "With the reference and the access code you can see the state of your case, "
            "see which documents are still missing and upload them:\n%(link)s\n\n"
            "Please keep this e-mail. Give the reference whenever you contact us."
        ) % {
            "service": tr(case.case_type.service.name),
            "reference": case.reference,
            "code": code,
            "link": link,
        }
        return Letter(
            subject=_("Your application %(reference)s") % {"reference": case.reference},
            body=body + _signature(),
        )


def _next_steps() -> str:
    return _(
        "We now examine your application. If we need anything else, we will write to you. "
        "You do not need to ask about the state of your case: you can see it at any time "
        "on the status page."
    )


def receipt_mail(case: Case, forecast: Forecast | None, link: str) -> Letter:
    body = _(
        "Your application “%(service)s” is complete. The receipt (Eingangsbestätigung) "
        "is attached.\n\nReference: %(reference)s\nComplete since: %(date)s\n"
        "Expected processing time: %(forecast)s\n\nWhat happens next: %(next)s\n\n"
        "On the status page, use the reference and the access code you already have "
        "(from the counter or our first e-mail); it stays valid:\n%(link)s"
    ) % {
        "service": tr(case.case_type.service.name),
        "reference": case.reference,
        "date": local_date(case.completed_at),
        "forecast": forecast_range(forecast),
        "next": _next_steps(),
        "link": link,
    }
    return Letter(
        subject=_("Receipt of your complete application %(reference)s")
        % {"reference": case.reference},
        body=body + _signature(),
    )


def new_access_code(case: Case, code: str, link: str) -> Letter:
    """The mail that tells the applicant the code staff gave their case instead of the old one."""
    body = _(
        "Your case %(reference)s has a new access code for the status page:\n\n"
        "Access code: %(code)s\n\nThe earlier access code no longer works. Enter the "
        "reference and the new access code here:\n%(link)s\n\n"
        "If you did not ask for a new code, please contact us."
    ) % {"reference": case.reference, "code": code, "link": link}
    return Letter(
        subject=_("New access code for your case %(reference)s") % {"reference": case.reference},
        body=body + _signature(),
    )


def receipt_pdf(case: Case, forecast: Forecast | None) -> bytes:
    """The receipt, mailed and kept alike; it points to the access code the applicant has."""
    title = _("Receipt of your application")
    pdf = OfficePDF(title, footer_text=case.reference)
    pdf.heading(title)
    applicant = case.applicant()
    rows = [
        (pgettext("case file", "Reference"), case.reference),
        (_("Application"), tr(case.case_type.service.name)),
        (_("Applicant"), str(applicant) if applicant else ""),
        (_("Received on"), local_date(case.opened_at)),
        (_("Complete since"), local_date(case.completed_at)),
        (_("Expected processing time"), forecast_range(forecast)),
    ]
    for label, value in rows:
        pdf.paragraph(f"{label}: {value}")
    pdf.ln(2)
    pdf.paragraph(_("Documents received"), bold=True)
    current = case.documents.filter(superseded_by__isnull=True).select_related("requirement")
    for document in current.order_by("requirement__position", "pk"):
        what = tr(document.requirement.title) if document.requirement else _("other document")
        pdf.paragraph(f"• {what}: {document.original_name}")
    pdf.ln(2)
    pdf.paragraph(_("What happens next"), bold=True)
    pdf.paragraph(_next_steps())
    pdf.ln(2)
    pdf.paragraph(_("Status page"), bold=True)
    pdf.paragraph(
        _("Use the reference and the access code you were given; the page is at %(url)s")
        % {"url": f"{settings.PUBLIC_BASE_URL}/{case.language}/status/"}
    )
    pdf.ln(2)
    pdf.paragraph(
        _(
            "This receipt confirms that your application is complete. It is not a decision "
            "and not a permit."
        ),
        size=9,
    )
    return pdf.render()


def status_changed(case: Case, status: StatusType) -> Letter:
    with translation.override(case.language):
        body = _(
            "The state of your case %(reference)s has changed:\n\n%(text)s\n\n"
            "You can see the details on the status page with your reference and access code:\n"
            "%(link)s"
        ) % {
            "reference": case.reference,
            "text": tr(status.applicant_text),
            "link": f"{settings.PUBLIC_BASE_URL}/{case.language}/status/",
        }
        return Letter(
            subject=_("News on your case %(reference)s") % {"reference": case.reference},
            body=body + _signature(),
        )


def contact_confirmation(request: ContactRequest) -> Letter:
    with translation.override(request.language):
        body = _(
            "Thank you for your message. It has been passed to the team responsible "
            "(%(topic)s).\n\nReference of your message: %(reference)s\n\n"
            "Please give this reference if you write to us again."
        ) % {"topic": tr(request.topic.name), "reference": request.reference}
        return Letter(
            subject=_("Your message %(reference)s") % {"reference": request.reference},
            body=body + _signature(),
        )
