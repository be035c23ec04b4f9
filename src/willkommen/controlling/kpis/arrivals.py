"""The arrival profile: when walk-ins and appointments come, how many counters are open,
how long serving takes: the inputs of the queueing model and the simulation."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q

from willkommen.booking.models import Appointment, AppointmentEvent
from willkommen.booking.states import Action as AppointmentAction
from willkommen.booking.states import Status as AppointmentStatus
from willkommen.controlling.kpis.bookings import appointment_figures
from willkommen.controlling.kpis.scope import Scope
from willkommen.controlling.kpis.visits import visit_durations, visits_in
from willkommen.frontdesk.models import Origin, Priority, VisitTransition
from willkommen.frontdesk.states import Action as VisitAction


@dataclass
class ArrivalProfile:
    """An average office day as recorded: the input of a simulation scenario."""

    office_days: int
    walk_ins_by_hour: list[float]
    appointments_by_hour: list[float]
    counters_by_hour: list[int]
    mean_service_minutes: float | None
    no_show_percent: int
    emergency_share: float


def arrival_profile(scope: Scope, *, first_hour: int = 8, hours: int = 6) -> ArrivalProfile:
    """Arrivals, counters and serving time per opening hour, averaged over the office days.

    Only the hours ``first_hour`` … ``first_hour + hours`` are looked at (the simulation
    models one opening period a day); walk-ins include emergencies, whose share is given.
    """
    tz = ZoneInfo(scope.timezone)
    visits = visits_in(scope)
    office_days = visits.values("service_day").distinct().count()
    walk_ins, emergencies = [0] * hours, 0
    issued = VisitTransition.objects.filter(
        visit__in=visits.exclude(origin=Origin.APPOINTMENT), action=VisitAction.ISSUE
    ).values_list("at", "visit__priority")
    for at, priority in issued:
        hour = at.astimezone(tz).hour - first_hour
        if 0 <= hour < hours:
            walk_ins[hour] += 1
            emergencies += priority == Priority.EMERGENCY
    counters: dict[int, set] = defaultdict(set)
    starts = VisitTransition.objects.filter(
        visit__in=visits, action=VisitAction.START, counter__isnull=False
    ).values_list("at", "counter_id")
    for at, counter_id in starts:
        local = at.astimezone(tz)
        if 0 <= local.hour - first_hour < hours:
            counters[local.hour - first_hour].add((local.date(), counter_id))
    confirmed = AppointmentEvent.objects.filter(
        Q(action=AppointmentAction.CONFIRM)
        | Q(action=AppointmentAction.CREATE, to_status=AppointmentStatus.CONFIRMED),
        appointment=OuterRef("pk"),
    )
    booked = Appointment.objects.filter(
        scope.filter(team="service__team"),
        Exists(confirmed),
        starts_at__gte=scope.starts_at,
        starts_at__lt=scope.ends_at,
    ).values_list("starts_at", flat=True)
    appointments = [0] * hours
    for starts_at in booked:
        hour = starts_at.astimezone(tz).hour - first_hour
        if 0 <= hour < hours:
            appointments[hour] += 1
    serves = [d["serve"] for d in visit_durations(scope).values() if d["serve"] is not None]
    totals = appointment_figures(scope).total
    days = office_days or 1
    return ArrivalProfile(
        office_days=office_days,
        walk_ins_by_hour=[round(n / days, 1) for n in walk_ins],
        appointments_by_hour=[round(n / days, 1) for n in appointments],
        counters_by_hour=[max(1, math.ceil(len(counters[h]) / days)) for h in range(hours)],
        mean_service_minutes=round(sum(serves) / len(serves), 1) if serves else None,
        no_show_percent=round(100 * totals.no_show / totals.booked) if totals.booked else 0,
        emergency_share=emergencies / sum(walk_ins) if sum(walk_ins) else 0.0,
    )
