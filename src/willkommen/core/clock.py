"""The one place that knows what time it is.

Times are stored in UTC; "today" is always the today of a location's time zone
(ARCHITECTURE invariant 7). Tests move time by patching ``now``.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def local_now(tz_name: str) -> datetime:
    return now().astimezone(ZoneInfo(tz_name))


def local_today(tz_name: str) -> date:
    return local_now(tz_name).date()
