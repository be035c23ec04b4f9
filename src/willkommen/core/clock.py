"""The one place that knows what time it is.

Times are stored in UTC; "today" is always the today of a location's time zone
(ARCHITECTURE invariant 7), and the office's time zone (``OFFICE_TIME_ZONE``)
where no location is in question: deadlines, retention dates, reference years.
Tests move time by patching ``now``.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def office_time_zone(location=None) -> ZoneInfo:
    """The location's time zone if one is given, else the office's."""
    name = getattr(location, "timezone", "") or settings.OFFICE_TIME_ZONE
    return ZoneInfo(name)


def local_now(tz_name: str) -> datetime:
    return now().astimezone(ZoneInfo(tz_name))


def local_today(tz_name: str) -> date:
    return local_now(tz_name).date()


def office_now(location=None) -> datetime:
    return now().astimezone(office_time_zone(location))


def office_today(location=None) -> date:
    """Today at the office (or at ``location``): the date a clerk's calendar shows."""
    return office_now(location).date()
