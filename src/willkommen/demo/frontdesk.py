"""Ticket series for the demo service groups, and a few visitors waiting today."""

from django.db import transaction

from willkommen.catalog.models import Location, Service, ServiceCategory
from willkommen.core import clock
from willkommen.frontdesk import services
from willkommen.frontdesk.models import TicketSeries, Visit

PREFIXES = {
    "aufenthalt": "A",
    "arbeit": "B",
    "familie": "F",
    "dokumente": "D",
    "einbuergerung": "E",
}
WALK_INS = [
    "aufenthaltserlaubnis-verlaengern",
    "eat-abholung",
    "familiennachzug",
    "blaue-karte-eu",
]


@transaction.atomic
def load() -> dict[str, int]:
    """Idempotent: prefixes are updated in place; visitors are only added at a
    location that has no visit yet today (through the reception's own use case)."""
    counts = {"series": 0, "visits": 0}
    for slug, prefix in PREFIXES.items():
        category = ServiceCategory.objects.filter(slug=slug).first()
        if category is None:
            continue
        TicketSeries.objects.filter(prefix=prefix).exclude(category=category).delete()
        TicketSeries.objects.update_or_create(category=category, defaults={"prefix": prefix})
        counts["series"] += 1
    walk_ins = list(Service.objects.active().filter(slug__in=WALK_INS))
    for location in Location.objects.active():
        if Visit.objects.of_day(location, clock.local_today(location.timezone)).exists():
            continue
        for service in walk_ins:
            services.issue_ticket(location=location, service=service, persons_present=1, actor=None)
            counts["visits"] += 1
    return counts
