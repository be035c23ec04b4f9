"""The mail an applicant gets when their fee payment is in: written in their language,
queued through the outbox in the transaction that records the payment."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from willkommen.cases.services import status_page_link
from willkommen.core.i18n import supported_language
from willkommen.core.numbers import format_euro
from willkommen.core.outbox import queue_mail
from willkommen.payments.models import Channel


def _language(payment) -> str:
    # Online, the language the applicant paid in; at the counter, the case's.
    if payment.channel == Channel.ONLINE and payment.language:
        return supported_language(payment.language) or payment.case.language
    return payment.case.language


def queue_paid_mail(payment) -> None:
    """Confirm a paid payment of a case by mail, once (the dedupe key), if the case has an
    address. Sent like the case's confirmation, not as a status mail, so the choice "no
    mail on status changes" does not withhold it; a visit alone has no address."""
    case = payment.case
    if case is None or not case.contact_email:
        return
    language = _language(payment)
    with translation.override(language):
        values = {
            "amount": format_euro(payment.amount_cents, language),
            "reference": case.reference,
        }
        lines = [
            _("We have received your payment of %(amount)s for your case %(reference)s.") % values
        ]
        if payment.receipt_number:
            lines.append(_("Receipt number: %(number)s") % {"number": payment.receipt_number})
        lines.append(
            _("Your status page shows what is paid and what is still open:")
            + f"\n{status_page_link(case)}"
        )
        lines.append(_("Please keep this e-mail as proof of payment."))
        closing = _("Kind regards")
        lines.append(f"{closing}\n{settings.OFFICE_NAME}")
        subject = _("Payment received for %(reference)s") % values
    queue_mail(
        to=case.contact_email,
        subject=subject,
        body="\n\n".join(lines),
        dedupe_key=f"payment:{payment.pk}:paid",
        language=language,
    )
