"""The demo's published opening hours and its bookable times agree (issue 16): both come
from the catalogue's hours rows; every slot of a whole year lies inside them."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from willkommen.accounts.models import Team
from willkommen.booking import services
from willkommen.catalog.hours import parse_time, weekdays_of
from willkommen.catalog.models import Location
from willkommen.core import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_booking():
    call_command("load_demo_catalog", verbosity=0)
    call_command("load_demo_booking", verbosity=0)
    from willkommen.demo.booking import demo_hours

    return demo_hours()


def test_every_slot_of_a_year_lies_within_the_published_hours(demo_booking):
    year = clock.local_today("Europe/Berlin").year
    first, last = date(year, 1, 1), date(year, 12, 31)
    for slug, published in demo_booking.items():
        location = Location.objects.get(slug=slug)
        zone = ZoneInfo(location.timezone)
        rows = published["hours"]
        team_slugs = {}
        seen_days = set()
        wanted = services.desired_slots(location, first, last)
        for (team_id, _channel, starts_at, _stage), (ends_at, *_rest) in wanted.items():
            start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
            seen_days.add(start.date())
            if team_id not in team_slugs:
                team_slugs[team_id] = Team.objects.get(pk=team_id).slug if team_id else None
            fitting = [
                row
                for row in rows
                if start.weekday() in weekdays_of(row)
                and (row.get("team") or None) == team_slugs[team_id]
                and parse_time(row["from"]) <= start.time()
                and end.time() <= parse_time(row["until"])
            ]
            assert fitting, f"{slug}: a slot {start:%a %d.%m. %H:%M}–{end:%H:%M} outside the hours"
        assert not any(day.weekday() >= 5 for day in seen_days), "no weekend opening published"
        for closed in published["closed_on"]:
            month, day = (int(part) for part in closed.split("-"))
            assert date(year, month, day) not in seen_days
        assert len(seen_days) > 100  # open on most of its weekdays


def test_the_page_shows_the_hours_the_slots_come_from(client, demo_booking):
    page = client.get("/de/locations/").content.decode()
    assert "Di, Fr 7:30–12:00" in page and "24. und 31. Dezember geschlossen" in page
    english = client.get("/en/locations/").content.decode()
    assert "Closed on 24 and 31 December" in english
    main = Location.objects.get(slug="hauptstelle")
    tuesday = date(clock.local_today("Europe/Berlin").year, 3, 2)
    while tuesday.weekday() != 1:
        tuesday += timedelta(days=1)
    zone = ZoneInfo(main.timezone)
    tuesday_times = [
        key[2].astimezone(zone).time() for key in services.desired_slots(main, tuesday, tuesday)
    ]
    assert tuesday_times and max(tuesday_times) < parse_time("12:00")
