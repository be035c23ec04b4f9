"""Demo opening rules, release stages and booking rules for the demo locations, then the
slots (through booking's own ``materialise_slots``)."""

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
from willkommen.catalog.models import Location, Service
from willkommen.core import clock

MON, TUE, WED, THU, FRI, SAT = range(6)

# (weekdays, from, until, slot minutes, online, staff, emergency, every n weeks)
GENERAL_HOURS = [
    ([MON, TUE, THU, FRI], time(8, 0), time(12, 0), 10, 4, 1, 1, 1),
    ([TUE, THU], time(14, 0), time(18, 0), 10, 3, 1, 1, 1),
    # A Saturday with appointments only, every fourth week (special opening day).
    ([SAT], time(9, 0), time(12, 0), 10, 3, 0, 0, 4),
]
# The naturalisation team books its own rooms: its services take its own capacity.
TEAM_HOURS = {"einbuergerung": [([WED], time(8, 0), time(15, 0), 15, 2, 1, 0, 1)]}

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
        hours = [(None, row) for row in GENERAL_HOURS]
        if location.slug == "hauptstelle":
            for slug, rows in TEAM_HOURS.items():
                team = Team.objects.filter(slug=slug).first()
                hours += [(team, row) for row in rows if team is not None]
        for team, (days, begin, end, minutes, online, staff, emergency, weeks) in hours:
            OpeningRule.objects.create(
                location=location, team=team, weekdays=days, start_time=begin,
                end_time=end, valid_from=start, slot_minutes=minutes, online_capacity=online,
                staff_capacity=staff, emergency_capacity=emergency, every_n_weeks=weeks,
            )  # fmt: skip
            created += 1
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
