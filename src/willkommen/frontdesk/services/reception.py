"""Reception: walk-in and emergency tickets, check-in of appointments, short matters
settled at the desk, the document check, and visitors who left."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from willkommen.booking import services as booking_services
from willkommen.booking.errors import REFUSED as BOOKING_REFUSED
from willkommen.booking.models import Appointment
from willkommen.catalog.models import Location, Service
from willkommen.core import clock
from willkommen.core.i18n import SOURCE_LANGUAGE, supported_language, validate_language
from willkommen.frontdesk.models import Origin, Priority, Visit
from willkommen.frontdesk.services.visits import (
    FrontdeskError,
    WorkItemLine,
    create_visit,
    locked,
    store_work,
    transition,
    validate_work,
)
from willkommen.frontdesk.states import TERMINAL, Action


@transaction.atomic
def issue_ticket(
    *,
    location: Location,
    service: Service,
    persons_present: int,
    actor,
    emergency: bool = False,
    emergency_reason: str = "",
    note: str = "",
    language: str = SOURCE_LANGUAGE,
) -> Visit:
    """A walk-in ticket; an emergency ticket (reason required) jumps the queue.

    ``language`` is the applicant's, as reception asked; the ticket is printed in it.
    """
    priority = Priority.EMERGENCY if emergency else Priority.WALK_IN
    try:
        language = validate_language(language)
    except ValidationError as exc:
        raise FrontdeskError(exc.messages[0]) from exc
    return create_visit(
        Action.ISSUE,
        location=location,
        service=service,
        persons_present=persons_present,
        actor=actor,
        origin=Origin.WALK_IN,
        priority=priority,
        emergency_reason=emergency_reason,
        note=note,
        language=language,
    )


@transaction.atomic
def check_in(*, appointment: Appointment, actor, persons_present: int | None = None) -> Visit:
    """The applicant of ``appointment`` has arrived: check in (booking) and queue a visit.

    An early arrival waits for the appointment's start before it counts as due;
    a late one queues from its arrival, not from its booked time.
    """
    try:
        appointment = booking_services.check_in(appointment, actor=actor)
    except BOOKING_REFUSED as exc:
        appointment.refresh_from_db()
        context = {"reference": appointment.reference, "status": appointment.get_status_display()}
        if exc.code == "wrong_day":
            message = _("Appointment %(reference)s is not today. Nothing was changed.")
        elif exc.code == "transition_not_allowed":
            message = _(
                "Appointment %(reference)s cannot be checked in (it is %(status)s). "
                "Nothing was changed."
            )
        else:
            message = str(exc.message)
        raise FrontdeskError(message % context) from exc
    now = clock.now()
    return create_visit(
        Action.ISSUE,
        location=appointment.location,
        service=appointment.service,
        persons_present=persons_present or appointment.persons,
        actor=actor,
        origin=Origin.APPOINTMENT,
        priority=Priority.APPOINTMENT,
        queued_at=max(now, appointment.starts_at),
        appointment=appointment,
        language=supported_language(appointment.language) or SOURCE_LANGUAGE,
    )


@transaction.atomic
def settle_at_reception(
    *,
    location: Location,
    service: Service,
    persons_present: int,
    work_items: list[WorkItemLine],
    actor,
    interim_certificate: bool = False,
    repeat_visit: bool = False,
    note: str = "",
) -> Visit:
    """A short matter done at the desk: a visit that starts and ends at reception."""
    if not service.short_matter:
        raise FrontdeskError(_("This service is not a short matter; issue a ticket instead."))
    validate_work(work_items, persons_present)
    visit = create_visit(
        Action.SETTLE,
        location=location,
        service=service,
        persons_present=persons_present,
        actor=actor,
        origin=Origin.RECEPTION,
        priority=Priority.WALK_IN,
        interim_certificate=interim_certificate,
        repeat_visit=repeat_visit,
        note=note,
    )
    store_work(visit, work_items, actor)
    return visit


@transaction.atomic
def record_document_check(visit_id: int, *, present_item_ids: set[int], actor) -> Visit:
    """Note which checklist documents are missing (only while the visitor waits)."""
    visit = locked(visit_id)
    if visit.status in TERMINAL:
        raise FrontdeskError(_("This visit is closed; its documents can no longer be checked."))
    missing = [
        {"id": item.pk, "title": item.title, "required": item.required}
        for item in visit.service.checklist.all()
        if item.pk not in present_item_ids
    ]
    visit.missing_documents = missing
    visit.documents_checked_at = clock.now()
    visit.save(update_fields=["missing_documents", "documents_checked_at"])
    return visit


@transaction.atomic
def record_left(visit_id: int, *, actor) -> Visit:
    """Reception: the visitor has gone home without being served."""
    visit = locked(visit_id)
    return transition(visit, Action.LEAVE, actor=actor, clerk=None, counter_id=None)
