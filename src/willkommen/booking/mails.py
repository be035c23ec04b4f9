"""The mails of booking, rendered in the applicant's language and queued in the outbox.

Each function is called inside the transaction of the change it reports
(``core.outbox.queue_mail`` insists), with a dedupe key naming that change.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from willkommen.booking import documents, links
from willkommen.core.i18n import tr
from willkommen.core.outbox import Deferred, queue_mail

CONFIRMATION_PDF = "booking.confirmation_pdf"


def _send(appointment_or_request, template: str, subject, dedupe_key: str, attachments=(), **extra):
    recipient = appointment_or_request.applicant_email
    if not recipient:
        return None
    with translation.override(appointment_or_request.language):
        context = {"office_name": settings.OFFICE_NAME, "item": appointment_or_request, **extra}
        if hasattr(appointment_or_request, "reference"):
            context["when"] = documents.when_text(appointment_or_request)
            context["manage_url"] = links.absolute_url(appointment_or_request, links.MANAGE)
            context["pdf_url"] = context["manage_url"] + "confirmation.pdf"
        body = render_to_string(f"booking/mail/{template}.txt", context)
        return queue_mail(
            to=recipient,
            subject=f"{settings.OFFICE_NAME}: {subject()}",
            body=body,
            attachments=[build() if callable(build) else build for build in attachments],
            dedupe_key=dedupe_key,
            language=appointment_or_request.language,
        )


def hold_placed(appointment):
    return _send(
        appointment,
        "hold",
        lambda: (
            _("Please confirm your appointment %(reference)s")
            % {"reference": appointment.reference}
        ),
        f"appointment:{appointment.pk}:hold",
        confirm_url=links.absolute_url(appointment, links.CONFIRM),
        minutes=settings.BOOKING_HOLD_MINUTES,
    )


def _confirmation_attachments(appointment):
    """The calendar file and the PDF confirmation (with the QR code) travel with the mail.

    The PDF is rendered by the worker when the mail leaves (``core.outbox.Deferred``):
    it costs more CPU than the rest of the confirmation, and the applicant's click
    should not wait for it. It shows the appointment as it is at that moment; a
    change after the click sends its own mail.
    """
    reference = appointment.reference
    return [
        lambda: (f"{reference}.ics", documents.calendar_file(appointment), "text/calendar"),
        Deferred(
            filename=f"{reference}.pdf",
            mimetype="application/pdf",
            builder=CONFIRMATION_PDF,
            arguments={"appointment_id": appointment.pk},
        ),
    ]


def confirmation_pdf(appointment_id: int) -> bytes:
    """The deferred PDF attachment, in the applicant's language."""
    from willkommen.booking.models import Appointment

    appointment = Appointment.objects.select_related("service", "location").get(pk=appointment_id)
    with translation.override(appointment.language):
        return documents.confirmation_pdf(appointment)


def confirmed(appointment):
    return _send(
        appointment,
        "confirmed",
        lambda: (
            _("Your appointment %(reference)s is booked") % {"reference": appointment.reference}
        ),
        f"appointment:{appointment.pk}:confirmed:{appointment.link_version}",
        attachments=_confirmation_attachments(appointment),
        checklist=documents.checklist_items(appointment),
        moved=False,
    )


def moved(appointment):
    return _send(
        appointment,
        "confirmed",
        lambda: (
            _("Your appointment %(reference)s has a new time")
            % {"reference": appointment.reference}
        ),
        f"appointment:{appointment.pk}:moved:{appointment.link_version}",
        attachments=_confirmation_attachments(appointment),
        checklist=documents.checklist_items(appointment),
        moved=True,
    )


def cancelled(appointment):
    return _send(
        appointment,
        "cancelled",
        lambda: (
            _("Your appointment %(reference)s is cancelled") % {"reference": appointment.reference}
        ),
        f"appointment:{appointment.pk}:cancelled",
        attachments=[
            lambda: (
                f"{appointment.reference}.ics",
                documents.calendar_file(appointment, cancelled=True),
                "text/calendar",
            )
        ],
    )


def reminder(appointment):
    return _send(
        appointment,
        "reminder",
        lambda: (
            _("Reminder: your appointment %(reference)s tomorrow")
            % {"reference": appointment.reference}
        ),
        f"appointment:{appointment.pk}:reminder:{appointment.link_version}",
        checklist=documents.checklist_items(appointment),
    )


def emergency_received(request):
    return _send(
        request,
        "emergency_received",
        lambda: _("We have received your request for an emergency appointment"),
        f"emergency:{request.pk}:received",
    )


def emergency_rejected(request):
    return _send(
        request,
        "emergency_rejected",
        lambda: _("Your request for an emergency appointment"),
        f"emergency:{request.pk}:rejected",
    )


def window_registered(registration):
    return _send(
        registration,
        "window_registered",
        lambda: (
            _("Your registration for appointments: %(service)s")
            % {"service": tr(registration.window.service.name)}
        ),
        f"window-registration:{registration.pk}:registered",
        window=registration.window,
    )


def window_not_allocated(registration):
    return _send(
        registration,
        "window_not_allocated",
        lambda: (
            _("No appointment for you in this round: %(service)s")
            % {"service": tr(registration.window.service.name)}
        ),
        f"window-registration:{registration.pk}:not-allocated",
        window=registration.window,
    )
