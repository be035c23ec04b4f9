from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

BERLIN = ZoneInfo("Europe/Berlin")
# A Wednesday morning without holidays nearby, so "today" never crosses midnight mid-test.
FROZEN_NOW = datetime(2027, 3, 10, 10, 0, tzinfo=BERLIN)


@pytest.fixture
def frozen_clock():
    """Set ``core.clock.now``; the fixture value moves it (``frozen_clock.return_value = …``)."""
    with mock.patch("willkommen.core.clock.now", return_value=FROZEN_NOW) as now:
        yield now


@pytest.fixture
def office(db, frozen_clock):
    """A location open Mon–Fri 08:00–12:00 in 15-minute slots (2 online, 1 staff, 1 emergency),
    everything released (one stage at 00:00), slots materialised for 60 days."""
    from datetime import date, time

    from tests.catalog.factories import LocationFactory, ServiceFactory
    from willkommen.booking import services
    from willkommen.booking.models import BookingPolicy, OpeningRule, ReleaseStage

    location = LocationFactory(slug="rathaus")
    BookingPolicy.objects.create(location=location, horizon_days=60, min_lead_hours=2)
    ReleaseStage.objects.create(location=location, release_time=time(0, 0), share_percent=100)
    OpeningRule.objects.create(
        location=location,
        weekdays=[0, 1, 2, 3, 4],
        start_time=time(8, 0),
        end_time=time(12, 0),
        valid_from=date(2027, 1, 1),
        slot_minutes=15,
        online_capacity=2,
        staff_capacity=1,
        emergency_capacity=1,
    )
    service = ServiceFactory(duration_minutes=15, max_persons=4, emergency_eligible=True)
    services.materialise_slots(location)
    return type("Office", (), {"location": location, "service": service})
