"""What a case owes, has paid and has open: on the staff case page and the status page."""

import re
from datetime import UTC, date, datetime
from unittest import mock

import pytest

from tests.cases.factories import make_case_type, open_case, staff
from tests.catalog.factories import CounterFactory
from tests.payments.conftest import add_fee
from willkommen.payments import selectors, services

pytestmark = pytest.mark.django_db


def text_of(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}">(.*?)</dd>', html, re.S)
    assert found, f"no #{element_id}"
    return re.sub(r"<[^>]+>", "", found.group(1)).replace("\u00a0", " ").strip()


def case_page(client, case) -> str:
    client.force_login(staff(case.team))
    response = client.get(f"/de/staff/cases/{case.reference}/")
    assert response.status_code == 200
    return response.content.decode()


def take(case, amount, receipt, counter):
    return services.record_counter_payment(
        case=case, amount_cents=amount, channel="cash", receipt_number=receipt,
        counter=counter, actor=None,
    )  # fmt: skip


def test_the_case_page_shows_due_paid_and_open(client, case):
    counter = CounterFactory()
    html = case_page(client, case)
    assert "Verlängerung (§ 45 Nr. 2b AufenthV)" in html and "93,00\u00a0€ · 1 Person" in html
    assert (text_of(html, "fees-paid"), text_of(html, "fees-open")) == ("0,00 €", "93,00 €")
    assert f"/de/staff/payments/?case={case.reference}" in html

    take(case, 5000, "Q-1", counter)
    html = case_page(client, case)
    assert (text_of(html, "fees-paid"), text_of(html, "fees-open")) == ("50,00 €", "43,00 €")

    rest = take(case, 4300, "Q-2", counter)
    html = case_page(client, case)
    assert text_of(html, "fees-open") == "vollständig bezahlt"
    assert "Beleg Q-2" in html and "Zahlung am Schalter erfassen" not in html

    services.record_refund(rest, amount_cents=4300, reason="Irrtum", actor=None)
    html = case_page(client, case)
    assert text_of(html, "fees-paid") == "50,00 € (nach 43,00 € Erstattung)"
    assert text_of(html, "fees-open") == "43,00 €"


def test_children_pay_the_minors_rate():
    case_type = make_case_type()
    add_fee(case_type.service, amount=9300, minor=4650)
    with mock.patch("willkommen.core.clock.now", return_value=datetime(2026, 12, 8, 9, tzinfo=UTC)):
        case = open_case(
            case_type,
            family=[
                {"given_name": "Lina", "family_name": "Haddad", "date_of_birth": date(2015, 5, 1)},
                # 18 the day before the case was received: the full fee.
                {"given_name": "Omar", "family_name": "Haddad", "date_of_birth": date(2008, 12, 7)},
                # 18 the day after: still the minors' rate.
                {"given_name": "Sami", "family_name": "Haddad", "date_of_birth": date(2008, 12, 9)},
            ],
        ).case
    [line] = selectors.fee_lines(case)
    assert (line.persons, line.minors) == (4, 2)
    assert selectors.account_of(case).due_cents == 2 * 9300 + 2 * 4650


def test_a_case_owes_the_fee_of_the_day_it_was_received():
    case_type = make_case_type()
    add_fee(case_type.service, amount=9300, valid_from=date(2024, 1, 1))
    add_fee(case_type.service, amount=9900, minor=None, valid_from=date(2027, 1, 1))
    with mock.patch("willkommen.core.clock.now", return_value=datetime(2026, 12, 8, 9, tzinfo=UTC)):
        before = open_case(case_type).case
    with mock.patch("willkommen.core.clock.now", return_value=datetime(2027, 1, 2, 9, tzinfo=UTC)):
        after = open_case(case_type).case
        assert selectors.account_of(before).due_cents == 9300
        assert selectors.account_of(after).due_cents == 9900


def test_a_case_without_a_fee_says_so(client):
    case = open_case(make_case_type()).case
    html = case_page(client, case)
    assert "keine Gebühr im Katalog" in html
    assert selectors.account_of(case).is_paid is False


def unlocked_status_page(client, case, language="de") -> str:
    session = client.session
    session["cases_unlocked"] = [case.pk]
    session.save()
    response = client.get(f"/{language}/status/{case.reference}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_status_page_offers_online_payment_only_with_a_provider(client, case, settings):
    settings.PAYMENTS_PROVIDER = ""
    html = unlocked_status_page(client, case)
    assert text_of(html, "fee-open") == "93,00 €"
    assert "Gebühr online bezahlen" not in html
    settings.PAYMENTS_PROVIDER = "xbezahldienste"
    settings.XBEZAHLDIENSTE_BASE_URL = "http://127.0.0.1:9"
    html = unlocked_status_page(client, case)
    assert "Gebühr online bezahlen" in html
    assert f'action="/de/payments/pay/{case.reference}/"' in html


def test_the_status_page_speaks_the_applicants_language(client, case, settings):
    settings.PAYMENTS_PROVIDER = "xbezahldienste"
    settings.XBEZAHLDIENSTE_BASE_URL = "http://127.0.0.1:9"
    html = unlocked_status_page(client, case, "ar")
    assert "ادفع الرسوم عبر الإنترنت" in html and "المتبقي للدفع" in html
    html = unlocked_status_page(client, case, "sr-latn")
    assert "Platite taksu na internetu" in html


def test_the_status_page_has_no_fee_section_without_a_fee(client):
    case = open_case(make_case_type()).case
    html = unlocked_status_page(client, case)
    assert 'id="fee-heading"' not in html


def test_the_pay_button_needs_an_unlocked_case(client, case, xbezahldienste):
    response = client.post(f"/de/payments/pay/{case.reference}/")
    assert response.status_code == 302 and "/status/" in response["Location"]
    assert not case.payments.exists() and not xbezahldienste.by_request
