"""Reads of booking that pages, the API and later apps (frontdesk) share."""

from __future__ import annotations

import logging
import time as monotonic_clock
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F, Sum

from willkommen.booking import capacity
from willkommen.booking.memory import process_cache, seen_full, without_steps
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


# The booking set-up of a location and service, remembered on the instances.
# A booking asks the same few questions several times (the policy three times on a
# "taken" answer). ``remember_setup`` answers them once and keeps the answers on the
# Location instance; the functions below use them when present and query otherwise.
# The booking API keeps such instances for BOOKING_AVAILABILITY_CACHE_SECONDS (see
# booking/api.py), so in a rush the set-up costs no queries at all.

MEMO = "_booking_setup"


def _memo(location) -> dict | None:
    return location.__dict__.get(MEMO)


def remember_setup(location, service) -> None:
    """Look up everything a booking of ``service`` at ``location`` reads, and keep it."""
    answers = {
        "policy": policy_of(location),
        ("team", service.pk): capacity_team_id(location, service),
        ("windows", service.pk): window_days(location, service),
    }
    location.__dict__.setdefault(MEMO, {}).update(answers)
    booking_rule_of(service)  # kept on the service instance by Django (or as missing)


def remembered_location(location_id: int):
    """The location, from this process's memory (booking/memory.py) or read."""
    from willkommen.catalog.models import Location

    return process_cache.recall(
        ("location", location_id), lambda: Location.objects.get(pk=location_id)
    )


def remembered_service(service_id: int):
    """The service with its booking rule and checklist, from memory or read: what the
    confirmation's mail needs, which in a rush hundreds a second send."""
    from willkommen.catalog.models import Service
    from willkommen.catalog.selectors import with_checklist

    def read():
        service = with_checklist(Service.objects.select_related("booking_rule")).get(pk=service_id)
        booking_rule_of(service)  # a missing rule is remembered too
        return service

    return process_cache.recall(("service", service_id), read)


def policy_of(location) -> BookingPolicy:
    memo = _memo(location)
    if memo and "policy" in memo:
        return memo["policy"]
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
    memo = _memo(location)
    if memo and ("team", service.pk) in memo:
        return memo[("team", service.pk)]
    has_own = OpeningRule.objects.filter(location=location, team_id=service.team_id).exists()
    return service.team_id if has_own else None


def booking_rule_of(service) -> ServiceBookingRule | None:
    # Django caches a found reverse one-to-one, not a missing one: remember that too.
    if getattr(service, "_no_booking_rule", False):
        return None
    try:
        return service.booking_rule
    except ServiceBookingRule.DoesNotExist:
        service._no_booking_rule = True
        return None


def minutes_for(service, persons: int) -> int:
    rule = booking_rule_of(service)
    return capacity.minutes_needed(
        service.duration_minutes, persons, rule.max_minutes if rule else None
    )


@dataclass(frozen=True)
class FreeTime:
    starts_at: datetime  # UTC
    ends_at: datetime
    free: int  # parallel appointments still open at this start


def bookable_window(location, channel: str, now: datetime) -> tuple[datetime, date]:
    """(earliest start, last bookable local day) for ``channel``."""
    policy = policy_of(location)
    if channel != Channel.ONLINE:
        return now, clock.local_today(location.timezone) + timedelta(days=365)
    earliest = now + timedelta(hours=policy.min_lead_hours)
    return earliest, clock.local_today(location.timezone) + timedelta(days=policy.horizon_days)


def window_days(location, service) -> list[tuple[date, date]]:
    """Day ranges of unallocated request windows: not bookable online until allocated."""
    from willkommen.booking.models import RequestWindow

    memo = _memo(location)
    if memo and ("windows", service.pk) in memo:
        return memo[("windows", service.pk)]
    return list(
        RequestWindow.objects.unallocated()
        .filter(location=location, service=service)
        .values_list("first_day", "last_day")
    )


def in_window(day: date, ranges) -> bool:
    return any(first <= day <= last for first, last in ranges)


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
) -> list[FreeTime]:
    """Start times where the whole appointment (persons × minutes) fits, in time order.

    One aggregate query over the slot rows released by ``now``; a start is free
    when every time step it covers has room left and the steps are contiguous.
    """
    now = now or clock.now()
    earliest, last_day = bookable_window(location, channel, now)
    last = min(first_day + timedelta(days=days - 1), last_day)
    if last < first_day:
        return []
    start, _ = day_bounds(location, first_day)
    _, end = day_bounds(location, last)
    minutes = minutes_for(service, persons)
    steps = list(
        Slot.objects.filter(
            location=location,
            team_id=capacity_team_id(location, service),
            channel=channel,
            starts_at__gte=max(start, earliest),
            starts_at__lt=end,
            released_at__lte=now,
        )
        .values("starts_at", "ends_at")
        .annotate(free=Sum(F("capacity") - F("booked")))
        .order_by("starts_at", "ends_at")
    )
    blocked = window_days(location, service) if channel == Channel.ONLINE else []
    if for_allocation:
        blocked = []
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
    location,
    service,
    persons,
    *,
    after: datetime,
    limit: int = 5,
    channel=Channel.ONLINE,
    remembered: bool = False,
):
    """The next few free start times after ``after`` (for "this time was just taken").

    In a rush every refused hold asks this. Reading the whole horizon (two months of
    slots) each time would cost as much as an uncached availability answer, and the
    next week nearly always has the few times needed; so the week comes first, and the
    rest of the horizon only if the week has too few and some slot after it still has
    room (one indexed look, which also answers quickly once everything is gone).

    ``remembered`` (the refusals of the API and the pages): both parts are read once
    per BOOKING_AVAILABILITY_CACHE_SECONDS and process, and offered without the time
    steps seen full since (``memory.seen_full``): the refused time itself, and every
    time whose last place another booking took. In a rush a fresh read for each of
    the hundreds of refusals a second took a third of the server's time.
    """
    day = after.astimezone(ZoneInfo(location.timezone)).date()
    horizon = policy_of(location).horizon_days + 1
    scope = (location.pk, capacity_team_id(location, service), channel)

    def part(name, read):
        if not (remembered and process_cache.enabled):
            return read()
        key = ("next free", name, location.pk, service.pk, persons, channel, day)
        # The moment is taken before the read: a step seen full during it is left out too.
        made, times = process_cache.recall(key, lambda: (monotonic_clock.monotonic(), read()))
        return without_steps(times, seen_full.since(scope, made))

    def week():
        return free_times(location, service, persons, first_day=day, days=7, channel=channel)

    def later():
        week_end, _ = day_bounds(location, day + timedelta(days=7))
        _, horizon_end = day_bounds(location, day + timedelta(days=horizon - 1))
        room_later = Slot.objects.filter(
            location=location,
            team_id=scope[1],
            channel=channel,
            starts_at__gte=week_end,
            starts_at__lt=horizon_end,
            released_at__lte=clock.now(),
            booked__lt=F("capacity"),
        ).exists()
        if not room_later:
            return []
        return free_times(
            location, service, persons, first_day=day + timedelta(days=7),
            days=horizon - 7, channel=channel,
        )  # fmt: skip

    found = [free for free in part("week", week) if free.starts_at >= after]
    if len(found) < limit and horizon > 7:
        found += part("later", later)
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
