"""What outreach writes to applicants: the invitation, the receipt (PDF and mail).

Every text is rendered in the case's language; the caller holds
``translation.override`` where a text depends on it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from willkommen.core.dates import format_date
from willkommen.core.pdf import OfficePDF


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str


def _signature() -> str:
    return "\n\n" + _("Kind regards") + "\n" + settings.OFFICE_NAME


def invitation(case, person, *, extension_link: str, booking_link: str) -> Letter:
    body = _(
        "Dear %(name)s,\n\n"
        "your residence permit expires on %(date)s. Please apply for its extension now. "
        "If you apply before it expires, your permit stays valid until we decide "
        "(§ 81 (4) AufenthG). You do not need an appointment for that.\n\n"
        "Apply online (you get a written receipt at once):\n%(extension)s\n\n"
        "Or book an appointment:\n%(booking)s\n\n"
        "These links are personal. Please do not pass them on."
    ) % {
        "name": f"{person.given_name} {person.family_name}",
        "date": format_date(case.permit_expires_on, "long"),
        "extension": extension_link,
        "booking": booking_link,
    }
    return Letter(
        subject=_("Your residence permit expires on %(date)s")
        % {"date": format_date(case.permit_expires_on, "long")},
        body=body + _signature(),
    )


def effect_text(application) -> str:
    """What the receipt states about the permit's validity (before or after expiry)."""
    expiry = format_date(application.permit_expires_on, "long")
    if application.before_expiry:
        return _(
            "The application was made before the residence permit expired (%(date)s). "
            "Under § 81 (4) AufenthG the permit therefore remains valid, with all its "
            "conditions, until the office decides."
        ) % {"date": expiry}
    return _(
        "The application was made after the residence permit had expired (%(date)s). "
        "§ 81 (4) AufenthG does not apply. The office treats the application as urgent."
    ) % {"date": expiry}


def applied_text(application) -> str:
    moment = timezone.localtime(application.applied_at)
    return f"{format_date(moment, 'long')}, {moment:%H:%M}"


def receipt_pdf(application, person, verification_link: str) -> bytes:
    title = _("Receipt of your application to extend your residence permit")
    pdf = OfficePDF(title, footer_text=application.opened_case.reference)
    pdf.heading(title)
    rows = [
        (_("Applicant"), f"{person.given_name} {person.family_name}"),
        (
            _("Date of birth"),
            format_date(person.date_of_birth, "long") if person.date_of_birth else "–",
        ),
        (pgettext("case file", "Reference"), application.opened_case.reference),
        (_("Application received"), applied_text(application)),
        (_("Permit expires on"), format_date(application.permit_expires_on, "long")),
    ]
    for label, value in rows:
        pdf.paragraph(f"{label}: {value}")
    pdf.ln(2)
    pdf.paragraph(effect_text(application), bold=True)
    pdf.paragraph(
        _(
            "Employers and authorities can check this receipt with the verification code "
            "or the QR code:"
        )
    )
    pdf.paragraph(f"{_('Verification code')}: {application.verification_code}", bold=True)
    pdf.paragraph(verification_link, size=8)
    image = io.BytesIO()
    segno.make(verification_link, error="m").save(image, kind="png", scale=4, border=2)
    image.seek(0)
    pdf.picture(image, width=32)
    return pdf.render()


def receipt_mail(application, person, status_link: str) -> Letter:
    body = _(
        "Dear %(name)s,\n\n"
        "we have received your application to extend your residence permit on %(when)s.\n"
        "Reference: %(reference)s\n\n%(effect)s\n\n"
        "The written receipt is attached. We send the access code for the status page in "
        "a separate e-mail:\n%(link)s"
    ) % {
        "name": f"{person.given_name} {person.family_name}",
        "when": applied_text(application),
        "reference": application.opened_case.reference,
        "effect": effect_text(application),
        "link": status_link,
    }
    return Letter(
        subject=_("Receipt of your application %(reference)s")
        % {"reference": application.opened_case.reference},
        body=body + _signature(),
    )
