"""The bulk variant of booking's use cases: appointments of the past written at once.

For history that happened elsewhere (an import from an earlier appointment system):
each appointment starts as a confirmed booking (``create``) and walks booking's
transition table with the recorded times (check-in, no-show, cancellation), and its
events are the rows the live use cases would have appended, but thousands go in a
few INSERTs. No slot capacity is taken: the old system's capacity is not known, so
"offered" stays empty for an imported period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from willkommen.booking.errors import BookingError
from willkommen.booking.models import Appointment, AppointmentEvent
from willkommen.booking.models.appointments import new_reference
from willkommen.booking.states import APPOINTMENT, Action, Status
from willkommen.core import clock

BATCH = 2000


@dataclass
class PastAppointment:
    """One appointment of the past: the unsaved row and what happened to it afterwards."""

    appointment: Appointment  # location, service, persons, times, channel, name, created_at
    steps: list[tuple[str, datetime]]  # (action, at) after the booking, e.g. check-in
    actor: object  # who recorded it; None for the applicant's own steps


@transaction.atomic
def record_past_appointments(past: list[PastAppointment]) -> int:
    """Write ``past`` with fresh references; all or nothing. Only appointments that
    started before now (the future is the live booking's). Returns the number written."""
    now = clock.now()
    rows, events = [], []
    for entry in past:
        appointment = entry.appointment
        if appointment.starts_at >= now:
            raise BookingError(_("Only appointments of the past can be recorded afterwards."))
        appointment.status = Status.CONFIRMED
        walked = [(Action.CREATE, "", Status.CONFIRMED, appointment.created_at)]
        for action, at in entry.steps:
            source = appointment.status
            appointment.status = APPOINTMENT.target(source, action)
            walked.append((action, source, appointment.status, at))
        events += [
            AppointmentEvent(
                appointment=appointment,
                action=action,
                from_status=source,
                to_status=target,
                at=at,
                actor=entry.actor,
                starts_at=appointment.starts_at,
            )
            for action, source, target, at in walked
        ]
        rows.append(appointment)
    _fresh_references(rows)
    # Parents before children: bulk_create fills in the keys the events point to.
    Appointment.objects.bulk_create(rows, batch_size=BATCH)
    AppointmentEvent.objects.bulk_create(events, batch_size=BATCH)
    return len(rows)


def _fresh_references(rows: list[Appointment]) -> None:
    """A reference for each row that no stored appointment (nor another row) has."""
    pending = rows
    while pending:
        for row in pending:
            row.reference = new_reference()
        wanted = [row.reference for row in pending]
        taken = set()
        for start in range(0, len(wanted), BATCH):
            taken |= set(
                Appointment.objects.filter(reference__in=wanted[start : start + BATCH]).values_list(
                    "reference", flat=True
                )
            )
        seen: set[str] = set()
        again = []
        for row in pending:
            if row.reference in taken or row.reference in seen:
                again.append(row)
            seen.add(row.reference)
        pending = again


@transaction.atomic
def remove_past_appointments(appointments) -> int:
    """Take back appointments written by ``record_past_appointments`` (an import rolled
    back): their events and the appointments. ``appointments`` is a queryset; refused
    (ProtectedError) while a visit or another record still points to one of them."""
    appointments = Appointment.objects.filter(pk__in=appointments.values("pk"))
    if appointments.filter(starts_at__gte=clock.now()).exists():
        raise BookingError(_("Only appointments of the past can be taken back."))
    if appointments.filter(visit__isnull=False).exists():
        raise BookingError(_("A visit still refers to one of these appointments."))
    AppointmentEvent.objects.filter(appointment__in=appointments).discard_imported()
    return appointments.delete()[1].get(Appointment._meta.label, 0)
