from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from tests.frontdesk.factories import build_office

BERLIN = ZoneInfo("Europe/Berlin")
# A Wednesday morning, so "today" does not cross midnight during a test.
FROZEN_NOW = datetime(2027, 3, 10, 10, 0, tzinfo=BERLIN)


@pytest.fixture
def frozen_clock():
    with mock.patch("willkommen.core.clock.now", return_value=FROZEN_NOW) as now:
        yield now


@pytest.fixture
def office(db):
    return build_office()
