"""Holds nobody confirmed in time: expired, and their capacity freed at once."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from willkommen.booking.models import Appointment
from willkommen.booking.services import ledger, transitions
from willkommen.booking.states import Action, Status
from willkommen.core import clock

# A hold in the way of a booking at some time starts at most this long before it.
LONGEST_APPOINTMENT = timedelta(hours=8)


def expire_due_holds(limit: int = 1000, *, starts_at=None) -> int:
    """Expire holds whose time ran out; with ``starts_at`` only those that could be in
    the way of a booking at that time (a booking that found its time full asks)."""
    now = clock.now()
    due = Appointment.objects.filter(status=Status.HELD, hold_expires_at__lte=now)
    if starts_at is not None:
        due = due.filter(starts_at__lt=starts_at + LONGEST_APPOINTMENT, ends_at__gt=starts_at)
    expired = 0
    for appointment_id in list(due.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            locked = transitions.locked_appointment(pk=appointment_id)
            if locked.status == Status.HELD and locked.hold_expires_at <= now:
                transitions.move(locked, Action.EXPIRE, actor=None)
                ledger.give_back(locked, delay=timedelta(0))
                expired += 1
    return expired
