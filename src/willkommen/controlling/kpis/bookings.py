"""Appointment, emergency-request and next-free figures (booking's records)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Sum

from willkommen.booking.models import Appointment, AppointmentEvent, EmergencyRequest, Slot
from willkommen.booking.models.emergency import RequestEvent
from willkommen.booking.selectors import next_free_times
from willkommen.booking.states import Action as AppointmentAction
from willkommen.booking.states import RequestAction
from willkommen.booking.states import Status as AppointmentStatus
from willkommen.catalog.models import Location, Service
from willkommen.controlling.kpis.scope import (
    Scope,
    quantile,
)
from willkommen.core import clock
from willkommen.core.i18n import tr

# --- appointments -------------------------------------------------------------


@dataclass
class AppointmentRow:
    label: str
    booked: int = 0
    kept: int = 0
    no_show: int = 0
    cancelled: int = 0
    lead_days: list[float] = field(default_factory=list)

    @property
    def lead_median(self) -> float | None:
        return quantile(self.lead_days, 0.5)


@dataclass
class AppointmentFigures:
    offered: int | None  # None when filtered by service: capacity is not per service
    unconfirmed: int  # online holds that expired without confirmation
    total: AppointmentRow
    by_service: list[AppointmentRow]


def appointment_figures(scope: Scope) -> AppointmentFigures:
    """Offered (capacity of the slots), booked, kept, no-show, cancelled; lead time.

    An appointment counts in the period of its (last) time. "Booked" means it was
    confirmed; what happened to it comes from its events; the lead time runs from
    booking to the appointment, the wait an applicant had.
    """
    # Capacity belongs to a location (and a team), not to a service.
    offered = None
    if not scope.service_id:
        offered = (
            Slot.objects.filter(
                scope.filter(service=None),
                starts_at__gte=scope.starts_at,
                starts_at__lt=scope.ends_at,
            ).aggregate(total=Sum("capacity"))["total"]
            or 0
        )
    appointments = Appointment.objects.filter(
        scope.filter(team="service__team"),
        starts_at__gte=scope.starts_at,
        starts_at__lt=scope.ends_at,
    )
    events = AppointmentEvent.objects.filter(appointment__in=appointments).values_list(
        "appointment_id", "action", "to_status", "at"
    )
    reached: dict[int, set] = defaultdict(set)
    booked_at: dict[int, datetime] = {}
    for appointment_id, action, to_status, at in events:
        reached[appointment_id].add(action)
        # Online holds are booked when the applicant confirms; staff and emergency
        # bookings are created confirmed.
        if action == AppointmentAction.CONFIRM or (
            action == AppointmentAction.CREATE and to_status == AppointmentStatus.CONFIRMED
        ):
            booked_at.setdefault(appointment_id, at)
    total = AppointmentRow("")
    per_service: dict[int, AppointmentRow] = {}
    unconfirmed = 0
    for appointment in appointments.values("id", "service_id", "service__name", "starts_at"):
        actions = reached[appointment["id"]]
        if appointment["id"] not in booked_at:
            unconfirmed += AppointmentAction.EXPIRE in actions
            continue
        row = per_service.setdefault(
            appointment["service_id"], AppointmentRow(tr(appointment["service__name"]))
        )
        for target in (total, row):
            target.booked += 1
            target.kept += AppointmentAction.CHECK_IN in actions
            target.no_show += (
                AppointmentAction.NO_SHOW in actions and AppointmentAction.CHECK_IN not in actions
            )
            target.cancelled += AppointmentAction.CANCEL in actions
            lead = appointment["starts_at"] - booked_at[appointment["id"]]
            target.lead_days.append(lead.total_seconds() / 86400)
    return AppointmentFigures(
        offered=offered,
        unconfirmed=unconfirmed,
        total=total,
        by_service=sorted(per_service.values(), key=lambda r: -r.booked),
    )


# --- emergency requests -------------------------------------------------------


@dataclass
class EmergencyFigures:
    received: int
    accepted: int
    rejected: int
    open: int
    answer_hours_median: float | None
    answer_hours_p90: float | None
    by_reason: list[tuple[str, int]]


def emergency_figures(scope: Scope) -> EmergencyFigures:
    """Requests received in the period; how they were answered and how fast (from events)."""
    requests = EmergencyRequest.objects.filter(
        scope.filter(team="service__team"),
        created_at__gte=scope.starts_at,
        created_at__lt=scope.ends_at,
    )
    submitted, answered = {}, {}
    for request_id, action, at in RequestEvent.objects.filter(request__in=requests).values_list(
        "request_id", "action", "at"
    ):
        if action == RequestAction.SUBMIT:
            submitted[request_id] = at
        elif action in (RequestAction.ACCEPT, RequestAction.REJECT):
            answered[request_id] = (action, at)
    hours = [
        (at - submitted[request_id]).total_seconds() / 3600
        for request_id, (_action, at) in answered.items()
        if request_id in submitted
    ]
    outcomes = Counter(action for action, _at in answered.values())
    reasons = Counter(requests.values_list("reason", flat=True))
    return EmergencyFigures(
        received=len(submitted),
        accepted=outcomes[RequestAction.ACCEPT],
        rejected=outcomes[RequestAction.REJECT],
        open=len(submitted) - len(answered),
        answer_hours_median=quantile(hours, 0.5),
        answer_hours_p90=quantile(hours, 0.9),
        by_reason=reasons.most_common(),
    )


@dataclass
class NextFree:
    service: str
    location: str
    starts_at: datetime | None  # None: nothing free within the booking horizon
    days: int | None  # from the location's today


def next_free_appointments(scope: Scope) -> list[NextFree]:
    """Now: the next free online appointment per bookable service and location.

    Asked of booking's availability (what an applicant would be offered), not
    of the period: it answers "how long would someone wait who books today".
    """
    locations = Location.objects.filter(is_active=True)
    services = Service.objects.filter(is_active=True, online_bookable=True)
    if scope.location_id:
        locations = locations.filter(pk=scope.location_id)
    if scope.team_id:
        services = services.filter(team_id=scope.team_id)
    if scope.service_id:
        services = services.filter(pk=scope.service_id)
    rows = []
    now = clock.now()
    for location in locations:
        zone, today = ZoneInfo(location.timezone), clock.local_today(location.timezone)
        for service in services:
            free = next_free_times(location, service, 1, after=now, limit=1)
            starts_at = free[0].starts_at if free else None
            days = (starts_at.astimezone(zone).date() - today).days if starts_at else None
            rows.append(NextFree(str(service), str(location), starts_at, days))
    return sorted(rows, key=lambda row: (row.starts_at is None, row.starts_at or now, row.service))
