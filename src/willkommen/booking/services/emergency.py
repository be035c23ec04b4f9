"""Emergency requests: submitted by the applicant, accepted (an appointment from the
emergency quota) or rejected with a reason by staff."""

from __future__ import annotations

from datetime import date, datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from willkommen.booking import mails
from willkommen.booking.errors import InvalidRequest
from willkommen.booking.models import Appointment, Channel, EmergencyRequest
from willkommen.booking.models.emergency import REASONS_WITH_EXPIRY
from willkommen.booking.services import transitions
from willkommen.booking.services.applicants import Applicant
from willkommen.booking.services.appointments import book
from willkommen.booking.states import RequestAction, RequestStatus
from willkommen.core import clock
from willkommen.core.uploads import as_checked


def submit_emergency_request(
    *,
    location,
    service,
    reason: str,
    permit_expires_on: date | None,
    applicant: Applicant,
    message: str = "",
    attachment=None,
    persons: int = 1,
    language: str = "de",
) -> EmergencyRequest:
    if reason in REASONS_WITH_EXPIRY and permit_expires_on is None:
        raise InvalidRequest(_("Please give the date your current permit expires."))
    if not 1 <= persons <= service.max_persons:
        raise InvalidRequest(
            _("This service can be booked for 1 to %(max)s persons.") % {"max": service.max_persons}
        )
    if not service.emergency_eligible:
        raise InvalidRequest(_("There are no emergency appointments for this service."))
    # Only a checked file is kept (invariant 9); checked outside the transaction.
    checked = as_checked(attachment) if attachment is not None else None
    with transaction.atomic():
        request = EmergencyRequest(
            location=location,
            service=service,
            reason=reason,
            permit_expires_on=permit_expires_on,
            applicant_name=applicant.name.strip(),
            applicant_email=applicant.email.strip(),
            applicant_phone=applicant.phone.strip(),
            message=message.strip(),
            persons=persons,
            language=language,
            status=RequestStatus.OPEN,
            created_at=clock.now(),
        )
        if checked is not None:
            request.attachment.save(
                f"upload.{checked.extension}", ContentFile(checked.content), save=False
            )
        request.save()
        transitions.created(request, RequestAction.SUBMIT, actor=None)
        mails.emergency_received(request)
    return request


def _locked(request: EmergencyRequest) -> EmergencyRequest:
    return EmergencyRequest.objects.select_for_update().get(pk=request.pk)


def accept_emergency_request(
    request: EmergencyRequest, *, starts_at: datetime, actor
) -> Appointment:
    """Turn an open request into an appointment from the emergency quota (and mail it)."""
    with transaction.atomic():
        locked = _locked(request)
        transitions.check(locked, RequestAction.ACCEPT)
        appointment = book(
            location=locked.location,
            service=locked.service,
            persons=locked.persons,
            starts_at=starts_at,
            applicant=Applicant(
                locked.applicant_name, locked.applicant_email, locked.applicant_phone
            ),
            channel=Channel.EMERGENCY,
            language=locked.language,
            actor=actor,
        )
        locked.appointment = appointment
        locked.handled_at, locked.handled_by = clock.now(), actor
        transitions.move(
            locked,
            RequestAction.ACCEPT,
            actor=actor,
            fields=["appointment", "handled_at", "handled_by"],
        )
    return appointment


def reject_emergency_request(request: EmergencyRequest, *, reason: str, actor) -> EmergencyRequest:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidRequest(_("Please give the applicant a reason."))
    with transaction.atomic():
        locked = _locked(request)
        locked.rejection_reason = reason[:2000]
        locked.handled_at, locked.handled_by = clock.now(), actor
        transitions.move(
            locked,
            RequestAction.REJECT,
            actor=actor,
            note=reason,
            fields=["rejection_reason", "handled_at", "handled_by"],
        )
        mails.emergency_rejected(locked)
    return locked
