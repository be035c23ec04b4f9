import pytest

from willkommen.catalog.services import load_catalog_file


@pytest.fixture
def demo_catalog(db):
    """The demo catalogue as shipped (20 services, two locations)."""
    return load_catalog_file()
