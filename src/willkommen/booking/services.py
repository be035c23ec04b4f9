"""The writes of booking: one function per use case, each in one transaction.

Every status change goes through ``_apply``, which checks the transition table
(``states``) against the row as locked inside the transaction and appends the
event. Nothing else assigns ``Appointment.status``.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from willkommen.booking.errors import BookingError
from willkommen.booking.models import Appointment, AppointmentEvent
from willkommen.booking.states import APPOINTMENT_TRANSITIONS, Action, Status, target_of
from willkommen.core import clock


class WrongDay(BookingError):
    code = "wrong_day"
    default_message = _("This appointment is not today.")
    http_status = 409


class TooEarly(BookingError):
    code = "too_early"
    default_message = _("The appointment has not started yet.")
    http_status = 409


def _locked(appointment: Appointment) -> Appointment:
    """The appointment's row, locked until the surrounding transaction ends."""
    return Appointment.objects.select_for_update().select_related("location").get(pk=appointment.pk)


def _record(appointment: Appointment, action: str, from_status: str, *, actor, note="") -> None:
    AppointmentEvent.objects.create(
        appointment=appointment,
        action=action,
        from_status=from_status,
        to_status=appointment.status,
        at=clock.now(),
        actor=actor,
        note=note,
        starts_at=appointment.starts_at,
    )


def _apply(appointment: Appointment, action: str, *, actor, note="", fields=()) -> Appointment:
    """Move a locked appointment along the table and record it; ``fields`` changed with it."""
    previous = appointment.status
    appointment.status = target_of(APPOINTMENT_TRANSITIONS, action, previous)
    appointment.save(update_fields=["status", *fields])
    _record(appointment, action, previous, actor=actor, note=note)
    return appointment


def _is_today(appointment: Appointment) -> bool:
    tz_name = appointment.location.timezone
    return appointment.starts_at.astimezone(ZoneInfo(tz_name)).date() == clock.local_today(tz_name)


def check_in(appointment: Appointment, *, actor) -> Appointment:
    """The applicant has arrived: confirmed (or marked no-show, and came late) → checked in.

    Only on the appointment's day in the location's time zone. Raises
    TransitionNotAllowed for a second check-in or a cancelled appointment.
    """
    with transaction.atomic():
        locked = _locked(appointment)
        target_of(APPOINTMENT_TRANSITIONS, Action.CHECK_IN, locked.status)
        if not _is_today(locked):
            raise WrongDay()
        return _apply(locked, Action.CHECK_IN, actor=actor)


def record_no_show(appointment: Appointment, *, actor) -> Appointment:
    """The applicant did not come: confirmed → no-show, once the appointment has begun."""
    with transaction.atomic():
        locked = _locked(appointment)
        target_of(APPOINTMENT_TRANSITIONS, Action.NO_SHOW, locked.status)
        if clock.now() < locked.starts_at:
            raise TooEarly()
        return _apply(locked, Action.NO_SHOW, actor=actor)


__all__ = ["Status", "TooEarly", "WrongDay", "check_in", "record_no_show"]
