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
