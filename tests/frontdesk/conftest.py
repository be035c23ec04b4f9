import pytest

from tests.booking.conftest import frozen_clock  # noqa: F401 - the shared fixture
from tests.frontdesk.factories import build_office


@pytest.fixture
def office(db):
    return build_office()
