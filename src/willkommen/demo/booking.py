"""Demo opening rules, release stages and booking rules for the demo locations, then the
slots (through booking's own ``materialise_slots``)."""

import json
from datetime import date, time

from django.db import transaction

from willkommen.accounts.models import Team
from willkommen.booking import services
from willkommen.booking.models import (
    BookingPolicy,
    Closure,
    OpeningRule,
    ReleaseStage,
    ServiceBookingRule,
)
from willkommen.catalog.hours import parse_time, weekdays_of
from willkommen.catalog.models import Location, Service
from willkommen.catalog.services import DEMO_CATALOG
from willkommen.core import clock

# The opening rules come from the rows the demo catalogue publishes as the locations'
# opening hours (catalog/hours.py): one source, so pages and bookable times agree.
# No Saturday rows (the pages name no Saturday); 24 and 31 December are closed.
CLOSED_DAY_REASONS = {"12-24": "Heiligabend", "12-31": "Silvester"}


def demo_hours() -> dict[str, dict]:
    data = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    return {row["slug"]: row for row in data["locations"] if "hours" in row}


SERVICE_RULES = {
    "einbuergerung-unterlagen-einreichen": {"asks_birth_date": True, "asks_nationality": True},
    "familiennachzug": {"max_minutes": 90},
    "niederlassungserlaubnis": {"asks_birth_date": True},
}


@transaction.atomic
def load() -> tuple[int, int]:
    """Idempotent: a location that already has rules keeps them.

    Returns the opening rules created and the slot rows written.
    """
    created = 0
    hours = demo_hours()
    for location in Location.objects.filter(slug__in=["hauptstelle", "nord"]):
        BookingPolicy.objects.get_or_create(
            location=location, defaults={"horizon_days": 60, "min_lead_hours": 2}
        )
        if not location.release_stages.exists():
            ReleaseStage.objects.create(location=location, release_time=time(7), share_percent=50)
            ReleaseStage.objects.create(location=location, release_time=time(14), share_percent=50)
        if location.opening_rules.exists():
            continue
        start = date(clock.local_today(location.timezone).year, 1, 1)
        for row in hours.get(location.slug, {}).get("hours", []):
            team = Team.objects.filter(slug=row["team"]).first() if row.get("team") else None
            if row.get("team") and team is None:
                continue
            booking = row["booking"]
            OpeningRule.objects.create(
                location=location, team=team, weekdays=weekdays_of(row),
                start_time=parse_time(row["from"]), end_time=parse_time(row["until"]),
                valid_from=start, slot_minutes=booking["slot_minutes"],
                online_capacity=booking["online"], staff_capacity=booking["staff"],
                emergency_capacity=booking["emergency"],
            )  # fmt: skip
            created += 1
    _closed_days(hours)
    Closure.objects.get_or_create(
        location=None,
        reason="Personalversammlung (Demo)",
        defaults={"starts_on": date(2027, 5, 12), "ends_on": date(2027, 5, 12)},
    )
    for slug, values in SERVICE_RULES.items():
        service = Service.objects.filter(slug=slug).first()
        if service is not None:
            ServiceBookingRule.objects.update_or_create(service=service, defaults=values)
    slots = sum(services.materialise_slots(location) for location in Location.objects.active())
    return created, slots


def _closed_days(hours: dict[str, dict]) -> None:
    """The days of the year the demo locations publish as closed, this year and next."""
    for slug, row in hours.items():
        location = Location.objects.filter(slug=slug).first()
        if location is None:
            continue
        year = clock.local_today(location.timezone).year
        for text in row.get("closed_on", []):
            month, day = (int(part) for part in text.split("-"))
            for on in (date(year, month, day), date(year + 1, month, day)):
                Closure.objects.get_or_create(
                    location=location,
                    starts_on=on,
                    ends_on=on,
                    defaults={"reason": CLOSED_DAY_REASONS.get(text, "geschlossen")},
                )
