"""Taking and giving back capacity: invariant 1.

A unit is taken with one conditional UPDATE per slot row,
``booked = booked + 1 WHERE booked < capacity AND released_at <= now``, which the
database decides under the row lock: PostgreSQL re-checks the condition after a
concurrent writer commits, SQLite serialises writers (``BEGIN IMMEDIATE``). Rows
are taken in time order, so two bookings never wait for each other in a circle,
and a CHECK constraint on the slot refuses anything that slipped past.
``SlotBooking`` records which rows an appointment holds, so giving back (cancel,
expiry, rebook) lowers exactly those, once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F

from willkommen.booking.errors import SlotTaken, SlotUnavailable
from willkommen.booking.models import Appointment, Slot, SlotBooking
from willkommen.core import clock


def slot_chain(location, team_id, channel, starts_at, minutes) -> list[list[Slot]]:
    """The slot rows (by time step, all stages) that an appointment at ``starts_at`` needs.

    Raises SlotUnavailable when there is no contiguous run of slots covering it.
    """
    found = Slot.objects.filter(
        location=location,
        team_id=team_id,
        channel=channel,
        starts_at__gte=starts_at,
        starts_at__lt=starts_at + timedelta(minutes=minutes),
    ).order_by("starts_at", "stage")
    steps: list[list[Slot]] = []
    for row in found:
        if steps and steps[-1][0].starts_at == row.starts_at:
            steps[-1].append(row)
        else:
            steps.append([row])
    expected = starts_at
    for step in steps:
        if step[0].starts_at != expected:
            raise SlotUnavailable()
        expected = step[0].ends_at
    if not steps or expected < starts_at + timedelta(minutes=minutes):
        raise SlotUnavailable()
    return steps


def chain_of(appointment: Appointment) -> list[list[Slot]]:
    """The slot rows the appointment needs for its time and length."""
    minutes = (appointment.ends_at - appointment.starts_at) // timedelta(minutes=1)
    return slot_chain(
        appointment.location,
        appointment.capacity_team_id,
        appointment.channel,
        appointment.starts_at,
        minutes,
    )


def looks_free(row: Slot, now: datetime) -> bool:
    """Advice from a read: the conditional UPDATE decides."""
    return row.booked < row.capacity and row.released_at <= now


def all_look_free(steps, now: datetime) -> bool:
    return all(any(looks_free(row, now) for row in step) for step in steps)


def _take_unit(slot_id: int, now: datetime) -> bool:
    """One unit of one slot row, if it has a released unit left (the conditional UPDATE)."""
    taken = Slot.objects.filter(pk=slot_id, booked__lt=F("capacity"), released_at__lte=now).update(
        booked=F("booked") + 1
    )
    return taken == 1


def take(appointment: Appointment, now: datetime, steps=None) -> list[Slot]:
    """Take one unit of every time step the appointment covers, and record them;
    SlotTaken if a step has none left (the caller's rollback gives back the others).

    The appointment must be saved. ``steps`` may come from a read before the
    transaction: it only orders the tries (rows that looked free first).
    """
    taken = []
    for step in steps if steps is not None else chain_of(appointment):
        for row in sorted(step, key=lambda row: not looks_free(row, now)):
            if _take_unit(row.pk, now):
                taken.append(row)
                break
        else:
            raise SlotTaken()
    SlotBooking.objects.bulk_create(
        [SlotBooking(appointment=appointment, slot_id=row.pk) for row in taken]
    )
    return taken


def give_back(appointment: Appointment, *, delay: timedelta, only=None) -> None:
    """Return the appointment's slot units: after ``delay`` (the sweep does it), or at once."""
    bookings = SlotBooking.objects.filter(appointment=appointment).held()
    if only is not None:
        bookings = bookings.filter(pk__in=only)
    if delay > timedelta(0):
        bookings.filter(returns_at__isnull=True).update(returns_at=clock.now() + delay)
    else:
        for booking_id in list(bookings.values_list("pk", flat=True)):
            return_one(booking_id)


def return_one(booking_id: int) -> bool:
    """Give one booked unit back to its slot, once (the conditional UPDATE decides)."""
    marked = SlotBooking.objects.filter(pk=booking_id, returned_at__isnull=True).update(
        returned_at=clock.now()
    )
    if marked:
        slot_id = SlotBooking.objects.values_list("slot_id", flat=True).get(pk=booking_id)
        Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)
    return bool(marked)


def return_due_capacity(limit: int = 1000) -> int:
    """Give back the capacity of cancelled appointments whose delay is over."""
    ids = list(SlotBooking.objects.due_to_return(clock.now()).values_list("pk", flat=True)[:limit])
    returned = 0
    for booking_id in ids:
        with transaction.atomic():
            returned += return_one(booking_id)
    return returned
