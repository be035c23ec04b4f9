"""Reads of booking that pages, the API and later apps (frontdesk) share."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from willkommen.booking.models import REFERENCE_PREFIX, Appointment
from willkommen.core import clock


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
