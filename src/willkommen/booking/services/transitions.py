"""Every status write of booking, and the one helper that appends its event.

``move`` asks the thing's transition table (``booking/states.py``) on the row
locked in the caller's transaction, writes the new status (with the fields changed
with it) and appends the event beside it (invariant 3); a refused edge raises
``core.states.TransitionNotAllowed`` before anything is written. ``created``
records the first event of a new thing. Nothing else assigns ``status``.
"""

from __future__ import annotations

from django.db import models

from willkommen.booking.models import Appointment, AppointmentEvent, EmergencyRequest, RequestEvent
from willkommen.booking.states import APPOINTMENT, EMERGENCY_REQUEST, INITIAL_STATUSES
from willkommen.core import clock
from willkommen.core.states import TransitionNotAllowed, TransitionTable

TABLES: dict[type[models.Model], TransitionTable] = {
    Appointment: APPOINTMENT,
    EmergencyRequest: EMERGENCY_REQUEST,
}


def append_event(subject, action: str, from_status: str, *, actor, note: str = "") -> None:
    """The event of a change of an appointment or an emergency request, as it is now."""
    common = {
        "action": action,
        "from_status": from_status,
        "to_status": subject.status,
        "at": clock.now(),
        "actor": actor,
        "note": note,
    }
    if isinstance(subject, Appointment):
        AppointmentEvent.objects.create(appointment=subject, starts_at=subject.starts_at, **common)
    else:
        RequestEvent.objects.create(request=subject, **common)


def check(subject, action: str) -> None:
    """Raise TransitionNotAllowed unless ``action`` may happen to ``subject`` now."""
    TABLES[type(subject)].target(subject.status, action)


def move(subject, action: str, *, actor, note: str = "", fields=()):
    """Move a locked appointment or request along its table and record the event;
    ``fields`` are saved with the status."""
    previous = subject.status
    subject.status = TABLES[type(subject)].target(previous, action)
    subject.save(update_fields=["status", *fields])
    append_event(subject, action, previous, actor=actor, note=note)
    return subject


def created(subject, action: str, *, actor) -> None:
    """Record the first event of a saved new thing: the table's way into the machine."""
    if isinstance(subject, Appointment):
        if subject.status not in INITIAL_STATUSES:
            raise TransitionNotAllowed("", action, APPOINTMENT.message)
    elif subject.status != EMERGENCY_REQUEST.start(action):
        raise TransitionNotAllowed("", action, EMERGENCY_REQUEST.message)
    append_event(subject, action, "", actor=actor)


def locked_appointment(**lookup) -> Appointment:
    """The appointment ``lookup`` names (``pk=…``, ``reference=…``), its row locked until
    the surrounding transaction ends; Appointment.DoesNotExist if there is none."""
    # of=("self",): with select_related, PostgreSQL would otherwise lock the location's
    # row too, and every change at that location would queue behind this one.
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("location", "service")
        .get(**lookup)
    )
