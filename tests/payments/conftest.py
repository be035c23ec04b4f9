import datetime
from contextlib import contextmanager

import pytest

from tests.cases.factories import make_case_type, open_case
from tests.payments.doubles import GiroCheckoutDouble, XBezahldiensteDouble
from willkommen.catalog.models import Fee


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@contextmanager
def serving_xbezahldienste(settings):
    """The XBezahldienste double on a free loopback port, configured as the provider
    (also for the browser tests, whose live server reads the same settings)."""
    with XBezahldiensteDouble() as double:
        settings.PAYMENTS_PROVIDER = "xbezahldienste"
        settings.XBEZAHLDIENSTE_BASE_URL = double.url
        settings.XBEZAHLDIENSTE_ORIGINATOR_ID = "ABH-ORIG"
        settings.XBEZAHLDIENSTE_ENDPOINT_ID = "EP-1"
        settings.XBEZAHLDIENSTE_USERNAME = "abh"
        settings.XBEZAHLDIENSTE_PASSWORD = "geheim"
        yield double


@pytest.fixture
def xbezahldienste(settings):
    with serving_xbezahldienste(settings) as double:
        yield double


@pytest.fixture
def girocheckout(settings):
    with GiroCheckoutDouble() as double:
        settings.PAYMENTS_PROVIDER = "girocheckout"
        settings.GIROCHECKOUT_BASE_URL = double.url
        settings.GIROCHECKOUT_MERCHANT_ID = "1234567"
        settings.GIROCHECKOUT_PROJECT_ID = "4711"
        settings.GIROCHECKOUT_SECRET = "projektgeheimnis"
        yield double


def add_fee(service, amount=9300, minor=4650, valid_from=datetime.date(2024, 1, 1), code="main"):
    return Fee.objects.create(
        service=service,
        code=code,
        label={"de": "Verlängerung", "en": "Extension"},
        legal_basis="§ 45 Nr. 2b AufenthV",
        amount_cents=amount,
        minor_amount_cents=minor,
        valid_from=valid_from,
    )


@pytest.fixture
def case(db):
    case_type = make_case_type()
    add_fee(case_type.service)
    return open_case(case_type).case
