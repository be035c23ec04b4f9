"""The booked appointment's page tells the fee (catalog's fees in force on its day)."""

from datetime import date

import pytest

from tests.booking.test_pages import THURSDAY_9, mail_link, stamp
from willkommen.catalog.models import Fee

pytestmark = pytest.mark.django_db


@pytest.fixture
def details_url(office):
    return (
        f"/de/appointments/{office.location.slug}/{office.service.slug}/book/"
        f"?persons=1&start={stamp(THURSDAY_9)}"
    )


def book(client, details_url):
    client.post(details_url, {"name": "Ada Lovelace", "email": "ada@example.org", "consent": "on"})
    confirmed = client.post(mail_link("ada@example.org", "/confirm/"))
    assert confirmed.status_code == 302
    return confirmed["Location"]


def fee(service, amount, valid_from, minor=None):
    return Fee.objects.create(
        service=service, code="over-3-months", label={"de": "Verlängerung", "en": "Extension"},
        legal_basis="§ 45 Nr. 2b AufenthV", amount_cents=amount, minor_amount_cents=minor,
        valid_from=valid_from,
    )  # fmt: skip


def test_the_appointment_page_shows_the_fee_of_its_day(client, office, details_url):
    fee(office.service, 9300, date(2024, 1, 1), minor=4650)
    # In force from the day after the appointment (Thursday, 11 March 2027): not yet.
    fee(office.service, 9900, date(2027, 3, 12))
    manage = book(client, details_url)
    page = client.get(manage).content.decode()
    assert "Verlängerung: 93,00\u00a0€ (unter 18: 46,50\u00a0€) · § 45 Nr. 2b AufenthV" in page
    assert "99,00" not in page
    english = client.get(manage.replace("/de/", "/en/", 1))
    assert "Extension: €93.00 (under 18: €46.50)" in english.content.decode()


def test_no_fee_line_without_fees(client, office, details_url):
    page = client.get(book(client, details_url)).content.decode()
    assert 'id="fees"' not in page
