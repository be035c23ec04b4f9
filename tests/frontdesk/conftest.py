from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from tests.accounts.factories import TeamFactory
from tests.catalog.factories import (
    ChecklistItemFactory,
    CounterFactory,
    LocationFactory,
    ServiceCategoryFactory,
    ServiceFactory,
)
from willkommen.frontdesk.models import TicketSeries

BERLIN = ZoneInfo("Europe/Berlin")
# A Wednesday morning, so "today" does not cross midnight during a test.
FROZEN_NOW = datetime(2027, 3, 10, 10, 0, tzinfo=BERLIN)


@pytest.fixture
def frozen_clock():
    with mock.patch("willkommen.core.clock.now", return_value=FROZEN_NOW) as now:
        yield now


@pytest.fixture
def office(db):
    """One location, two teams with a counter each, services with ticket prefixes."""
    location = LocationFactory(slug="hauptstelle")
    family, work = TeamFactory(slug="familie", name="Familie"), TeamFactory(slug="arbeit")
    residence = ServiceCategoryFactory(slug="aufenthalt")
    TicketSeries.objects.create(category=residence, prefix="A")
    jobs = ServiceCategoryFactory(slug="arbeit")
    TicketSeries.objects.create(category=jobs, prefix="B")
    extend = ServiceFactory(slug="verlaengern", category=residence, team=family)
    ChecklistItemFactory(service=extend, title={"de": "Pass", "en": "Passport"})
    ChecklistItemFactory(service=extend, title={"de": "Foto", "en": "Photo"})
    blue_card = ServiceFactory(slug="blaue-karte", category=jobs, team=work)
    pickup = ServiceFactory(slug="abholung", category=residence, team=family, short_matter=True)
    return {
        "location": location,
        "family": family,
        "work": work,
        "extend": extend,
        "blue_card": blue_card,
        "pickup": pickup,
        "family_counter": CounterFactory(location=location, name="Raum 1", team=family),
        "family_counter_2": CounterFactory(location=location, name="Raum 2", team=family),
        "work_counter": CounterFactory(location=location, name="Raum 3", team=work),
    }
