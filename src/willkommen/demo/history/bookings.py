"""The booking side of a generated day: slots, appointments on them (kept, missed,
cancelled, or held online and never confirmed) and emergency requests.

Booking has no bulk variant of its services yet, so the rows are built here; every
status comes from booking's own transition tables, step by step, never set by hand.
"""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta

from willkommen.booking.models import (
    Appointment,
    AppointmentEvent,
    EmergencyRequest,
    Slot,
    SlotBooking,
)
from willkommen.booking.models.capacity import Channel
from willkommen.booking.models.emergency import EmergencyReason, RequestEvent
from willkommen.booking.states import (
    APPOINTMENT,
    EMERGENCY_REQUEST,
    RequestAction,
    RequestStatus,
)
from willkommen.booking.states import Action as AppointmentAction
from willkommen.booking.states import Status as AppointmentStatus
from willkommen.frontdesk.models import Origin, Priority

from .plan import FAMILY, GIVEN, SLOT_MINUTES, Day
from .visits import served, visit_for

FATES = ("kept", "no_show", "cancelled", "expired")


def _walk(table, start: str, steps) -> list[tuple[str, str, str, object]]:
    """``(action, at)`` steps after ``start`` → ``(action, from, to, at)`` by the table."""
    status, walked = start, []
    for action, at in steps:
        target = table.target(status, action)
        walked.append((action, status, target, at))
        status = target
    return walked


def slots(day: Day) -> None:
    """Capacity: one general slot row per channel and quarter hour."""
    spans = day.opening_minutes()
    released = datetime.combine(day.day - timedelta(days=60), time(7), tzinfo=day.tz)
    per_slot = max(1, round(day.expected * 0.6 / sum((e - s) / SLOT_MINUTES for s, e in spans)))
    for start, end in spans:
        for minute in range(start, end, SLOT_MINUTES):
            for channel, capacity in (
                (Channel.ONLINE, per_slot),
                (Channel.STAFF, max(1, per_slot // 4)),
                (Channel.EMERGENCY, 1),
            ):
                day.slots[(channel, minute)] = Slot(
                    location=day.location,
                    channel=channel,
                    starts_at=day.at(minute),
                    ends_at=day.at(minute + SLOT_MINUTES),
                    stage=0,
                    released_at=released,
                    capacity=capacity,
                    booked=0,
                )


def emergency_request(day: Day, service, starts_at, accepted: bool):
    """An online emergency request, answered hours later (accepted: for ``starts_at``)."""
    rng, user = day.rng, day.context.user
    created = starts_at - timedelta(hours=rng.lognormvariate(math.log(20), 0.5))
    answered = min(
        created + timedelta(hours=rng.lognormvariate(math.log(4), 0.6)),
        starts_at - timedelta(minutes=30),
    )
    action = RequestAction.ACCEPT if accepted else RequestAction.REJECT
    status = EMERGENCY_REQUEST.target(RequestStatus.OPEN, action)
    request = EmergencyRequest(
        location=day.location,
        service=service,
        reason=rng.choice(EmergencyReason.values),
        permit_expires_on=day.day + timedelta(days=rng.randint(1, 14)),
        applicant_name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
        applicant_email=f"notfall{rng.randint(1, 10**9)}@example.org",
        created_at=created,
        status=status,
        handled_at=answered,
        handled_by=user,
        rejection_reason="" if accepted else "Kein Notfall im Sinne der Regelung",
    )
    day.requests.append(request)
    day.request_events += [
        RequestEvent(
            request=request,
            action=RequestAction.SUBMIT,
            from_status="",
            to_status=RequestStatus.OPEN,
            at=created,
        ),
        RequestEvent(
            request=request,
            action=action,
            from_status=RequestStatus.OPEN,
            to_status=status,
            at=answered,
            actor=user,
        ),
    ]
    return request, answered


def _fate_steps(day: Day, fate: str, online_hold: bool, created, starts_at):
    """What happened to an appointment after it was made, as ``(action, at)`` steps."""
    rng = day.rng
    confirmed = created + timedelta(minutes=rng.uniform(1, 9))
    if fate == "expired":
        # Only an online hold runs out; a booking made by staff starts confirmed, so
        # the one that "never came to be" was cancelled on the phone right away.
        action = AppointmentAction.EXPIRE if online_hold else AppointmentAction.CANCEL
        return [(action, created + timedelta(minutes=10))], None
    steps = [(AppointmentAction.CONFIRM, confirmed)] if online_hold else []
    arrived = None
    if fate == "cancelled":
        steps.append((AppointmentAction.CANCEL, confirmed + (starts_at - confirmed) * rng.random()))
    elif fate == "no_show":
        steps.append((AppointmentAction.NO_SHOW, starts_at + timedelta(minutes=15)))
    else:
        arrived = starts_at - timedelta(minutes=rng.uniform(-10, 15))
        steps.append((AppointmentAction.CHECK_IN, arrived))
    return steps, arrived


def appointments(day: Day) -> None:
    """Booked some days ahead on the day's slots; a kept one brings a visit."""
    rng, context = day.rng, day.context
    online = [s for s in context.services if s.online_bookable] or context.services
    eligible = [s for s in context.services if s.emergency_eligible] or context.services
    for (channel, _minute), slot in day.slots.items():
        for _seat in range(slot.capacity):
            starts_at = slot.starts_at
            request = None
            if channel == Channel.EMERGENCY:
                if rng.random() > 0.3:  # most of the protected quota is not needed
                    continue
                service = rng.choice(eligible)
                request, created = emergency_request(day, service, starts_at, accepted=True)
                fate = rng.choices(("kept", "no_show"), (92, 8))[0]
            else:
                if rng.random() > 0.9:  # some capacity stays free
                    continue
                service = rng.choice(online)
                created = starts_at - timedelta(days=rng.uniform(1, 40), hours=rng.uniform(0, 10))
                fate = rng.choices(FATES, (77, 10, 8, 5))[0]
            appointment = Appointment(
                reference=context.unique_reference(),
                location=day.location,
                service=service,
                persons=1,
                starts_at=starts_at,
                ends_at=slot.ends_at,
                channel=channel,
                applicant_name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                applicant_email=f"demo{rng.randint(1, 10**9)}@example.org",
                language="de",
                person_key=f"{rng.getrandbits(256):064x}",
                created_at=created,
            )
            day.appointments.append(appointment)
            if request is not None:
                request.appointment = appointment
            online_hold = channel == Channel.ONLINE
            first = AppointmentStatus.HELD if online_hold else AppointmentStatus.CONFIRMED
            later, arrived = _fate_steps(day, fate, online_hold, created, starts_at)
            steps = [(AppointmentAction.CREATE, "", first, created)]
            steps += _walk(APPOINTMENT, first, later)
            appointment.status = steps[-1][2]
            if arrived is not None:
                priority = Priority.EMERGENCY if request else Priority.APPOINTMENT
                visit = visit_for(
                    day,
                    service,
                    priority,
                    Origin.APPOINTMENT,
                    arrived,
                    appointment,
                    reason=request.get_reason_display() if request else "",
                )
                visit.queued_at = max(arrived, starts_at)
                served(day, visit, service, arrived, mean_wait=8)
            day.events += [
                AppointmentEvent(
                    appointment=appointment,
                    action=action,
                    from_status=source,
                    to_status=target,
                    at=at,
                    starts_at=starts_at,
                )
                for action, source, target, at in steps
            ]
            if fate in ("kept", "no_show"):
                slot.booked += 1
                day.bookings.append(SlotBooking(appointment=appointment, slot=slot))


def rejected_requests(day: Day) -> None:
    """Requests that were no emergency in the sense of the rules."""
    rng = day.rng
    eligible = [s for s in day.context.services if s.emergency_eligible] or day.context.services
    for _n in range(rng.choices((0, 1), (75, 25))[0]):
        emergency_request(day, rng.choice(eligible), day.at(12 * 60), accepted=False)
