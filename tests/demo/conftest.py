from tests.booking.conftest import frozen_clock  # noqa: F401 - the shared fixture
