"""Reads of booking that pages, the API and later apps (frontdesk) share."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import F, Sum

from willkommen.booking import capacity
from willkommen.booking.models import (
    REFERENCE_PREFIX,
    Appointment,
    BookingPolicy,
    Channel,
    OpeningRule,
    ServiceBookingRule,
    Slot,
)
from willkommen.booking.models.capacity import DEFAULT_RELEASE_STAGES
from willkommen.core import clock

if TYPE_CHECKING:
    from willkommen.catalog.models import Location, Service

logger = logging.getLogger(__name__)


def normalise_reference(text: str) -> str:
    """What people type or scan ("t 7k3m9q", "T-7K3M9Q", "7K3M9Q") → "T-7K3M9Q"."""
    compact = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if compact.startswith("T") and len(compact) == 7:
        compact = compact[1:]
    return REFERENCE_PREFIX + compact


def appointment_by_reference(text: str) -> Appointment | None:
    reference = normalise_reference(text)
    if len(reference) != 8:
        return None
    return (
        Appointment.objects.select_related("location", "service", "service__team", "clerk")
        .filter(reference=reference)
        .first()
    )


def day_bounds(location, day) -> tuple[datetime, datetime]:
    """The UTC instants where ``day`` begins and ends at ``location`` (23 or 25 h on DST days)."""
    zone = ZoneInfo(location.timezone)
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def appointments_of_day(location, day=None, *, team=None, clerk=None):
    """The location's appointments on ``day`` (default: its today), in time order.

    Cancelled and expired appointments are left out; checked-in and no-show stay,
    so the day plan shows the whole day.
    """
    day = day or clock.local_today(location.timezone)
    start, end = day_bounds(location, day)
    queryset = (
        Appointment.objects.occupying()
        .filter(location=location)
        .between(start, end)
        .select_related("service", "service__team", "clerk", "location")
    )
    if team is not None:
        queryset = queryset.filter(service__team=team)
    if clerk is not None:
        queryset = queryset.filter(clerk=clerk)
    return queryset.order_by("starts_at", "id")


def todays_appointments(location):
    return appointments_of_day(location)


# --- capacity and availability ------------------------------------------------


def policy_of(location) -> BookingPolicy:
    policy = BookingPolicy.objects.filter(location=location).first()
    return policy or BookingPolicy(location=location)  # the defaults, unsaved


def release_stages_of(location) -> list[tuple]:
    stages = list(location.release_stages.values_list("release_time", "share_percent"))
    if sum(share for _time, share in stages) != 100:
        if stages:
            logger.warning("release stages of %s do not add up to 100 %%", location.slug)
        return list(DEFAULT_RELEASE_STAGES)
    return stages


def capacity_team_id(location, service) -> int | None:
    """A service its team alone handles takes capacity from that team's rules, if it has any."""
    has_own = OpeningRule.objects.filter(location=location, team_id=service.team_id).exists()
    return service.team_id if has_own else None


def booking_rule_of(service) -> ServiceBookingRule | None:
    try:
        return service.booking_rule
    except ServiceBookingRule.DoesNotExist:
        return None


def _minutes(service, rule, persons: int) -> int:
    return capacity.minutes_needed(
        service.duration_minutes, persons, rule.max_minutes if rule else None
    )


def minutes_for(service, persons: int) -> int:
    return _minutes(service, booking_rule_of(service), persons)


@dataclass(frozen=True)
class FreeTime:
    starts_at: datetime  # UTC
    ends_at: datetime
    free: int  # parallel appointments still open at this start


def window_days(location, service) -> list[tuple[date, date]]:
    """Day ranges of unallocated request windows: not bookable online until allocated."""
    from willkommen.booking.models import RequestWindow

    return list(
        RequestWindow.objects.unallocated()
        .filter(location=location, service=service)
        .values_list("first_day", "last_day")
    )


def in_window(day: date, ranges) -> bool:
    return any(first <= day <= last for first, last in ranges)


@dataclass(frozen=True)
class BookingSetup:
    """What booking ``service`` at ``location`` depends on, read once per request:
    the location's policy, the service's booking rule, whose capacity it takes
    (its team's or the location's), and the days request windows keep back."""

    location: Location
    service: Service
    policy: BookingPolicy
    rule: ServiceBookingRule | None
    capacity_team_id: int | None
    window_days: tuple[tuple[date, date], ...]

    @classmethod
    def of(cls, location, service) -> BookingSetup:
        return cls(
            location=location,
            service=service,
            policy=policy_of(location),
            rule=booking_rule_of(service),
            capacity_team_id=capacity_team_id(location, service),
            window_days=tuple(window_days(location, service)),
        )

    def minutes(self, persons: int) -> int:
        """How long an appointment for ``persons`` takes."""
        return _minutes(self.service, self.rule, persons)

    def bookable_window(self, channel: str, now: datetime) -> tuple[datetime, date]:
        """(earliest start, last bookable local day) for ``channel``."""
        today = clock.local_today(self.location.timezone)
        if channel != Channel.ONLINE:
            return now, today + timedelta(days=365)
        earliest = now + timedelta(hours=self.policy.min_lead_hours)
        return earliest, today + timedelta(days=self.policy.horizon_days)


def free_times(
    location,
    service,
    persons: int,
    *,
    first_day: date,
    days: int,
    channel: str = Channel.ONLINE,
    now: datetime | None = None,
    for_allocation: bool = False,
    setup: BookingSetup | None = None,
) -> list[FreeTime]:
    """Start times where the whole appointment (persons × minutes) fits, in time order.

    One aggregate query over the slot rows released by ``now``; a start is free
    when every time step it covers has room left and the steps are contiguous.
    ``setup``: the booking set-up of location and service, if already resolved.
    """
    now = now or clock.now()
    setup = setup or BookingSetup.of(location, service)
    earliest, last_day = setup.bookable_window(channel, now)
    last = min(first_day + timedelta(days=days - 1), last_day)
    if last < first_day:
        return []
    start, _ = day_bounds(location, first_day)
    _, end = day_bounds(location, last)
    minutes = setup.minutes(persons)
    steps = list(
        Slot.objects.filter(
            location=location,
            team_id=setup.capacity_team_id,
            channel=channel,
            starts_at__gte=max(start, earliest),
            starts_at__lt=end,
            released_at__lte=now,
        )
        .values("starts_at", "ends_at")
        .annotate(free=Sum(F("capacity") - F("booked")))
        .order_by("starts_at", "ends_at")
    )
    blocked = setup.window_days if channel == Channel.ONLINE and not for_allocation else ()
    zone = ZoneInfo(location.timezone)
    result = []
    for index, step in enumerate(steps):
        if step["free"] <= 0:
            continue
        if blocked and in_window(step["starts_at"].astimezone(zone).date(), blocked):
            continue
        needed_end = step["starts_at"] + timedelta(minutes=minutes)
        free, reached, cursor = step["free"], step["ends_at"], index
        while reached < needed_end:
            cursor += 1
            if cursor >= len(steps) or steps[cursor]["starts_at"] != reached:
                break
            if steps[cursor]["free"] <= 0:
                break
            free = min(free, steps[cursor]["free"])
            reached = steps[cursor]["ends_at"]
        if reached >= needed_end:
            result.append(FreeTime(step["starts_at"], needed_end, free))
    return result


def free_days(location, service, persons, *, first_day, days, channel=Channel.ONLINE, now=None):
    """{local date: number of free start times} for the days that have any."""
    zone = ZoneInfo(location.timezone)
    counts: dict[date, int] = {}
    for free in free_times(
        location, service, persons, first_day=first_day, days=days, channel=channel, now=now
    ):
        day = free.starts_at.astimezone(zone).date()
        counts[day] = counts.get(day, 0) + 1
    return counts


def next_free_times(
    location, service, persons, *, after: datetime, limit=5, channel=Channel.ONLINE, setup=None
):
    """The next few free start times after ``after`` (for "this time was just taken").

    The next week nearly always has the few times needed, so it comes first; the rest
    of the horizon is read only if the week has too few and some slot after it still
    has room (one indexed look, which also answers quickly once everything is gone).
    """
    setup = setup or BookingSetup.of(location, service)
    day = after.astimezone(ZoneInfo(location.timezone)).date()

    def free_from(first_day, days):
        return free_times(
            location, service, persons, first_day=first_day, days=days, channel=channel,
            setup=setup,
        )  # fmt: skip

    found = [free for free in free_from(day, 7) if free.starts_at >= after]
    horizon = setup.policy.horizon_days + 1
    if len(found) >= limit or horizon <= 7:
        return found[:limit]
    week_end, _ = day_bounds(location, day + timedelta(days=7))
    _, horizon_end = day_bounds(location, day + timedelta(days=horizon - 1))
    room_later = Slot.objects.filter(
        location=location,
        team_id=setup.capacity_team_id,
        channel=channel,
        starts_at__gte=week_end,
        starts_at__lt=horizon_end,
        released_at__lte=clock.now(),
        booked__lt=F("capacity"),
    ).exists()
    if room_later:
        found += free_from(day + timedelta(days=7), horizon - 7)
    return found[:limit]


# --- emergency requests -------------------------------------------------------------


def triage_deadline() -> datetime:
    """Requests received before this instant and still open are overdue."""
    from django.conf import settings

    return clock.now() - timedelta(hours=settings.BOOKING_EMERGENCY_TRIAGE_HOURS)


def open_emergency_requests():
    from willkommen.booking.models import EmergencyRequest

    return EmergencyRequest.objects.open().select_related("location", "service").by_need()


def overdue_emergency_requests():
    return open_emergency_requests().filter(created_at__lt=triage_deadline())


def handled_emergency_requests():
    from willkommen.booking.models import EmergencyRequest

    return (
        EmergencyRequest.objects.exclude(status="open")
        .select_related("handled_by", "appointment")
        .order_by("-handled_at")
    )


def open_windows():
    from willkommen.booking.models import RequestWindow

    return (
        RequestWindow.objects.open_at(clock.now())
        .select_related("location", "service")
        .order_by("closes_at")
    )


def get_window(pk: int):
    from willkommen.booking.models import RequestWindow

    return RequestWindow.objects.select_related("location", "service").filter(pk=pk).first()


def appointments_due_for_no_show(started_by: datetime):
    """Confirmed appointments that started at or before ``started_by``, oldest first."""
    from willkommen.booking.models import Appointment
    from willkommen.booking.states import Status

    return Appointment.objects.filter(status=Status.CONFIRMED, starts_at__lte=started_by).order_by(
        "starts_at"
    )
