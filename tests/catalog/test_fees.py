"""Fees in the catalogue: the one in force on a day, the minors' rate, the demo fees, the page."""

import copy
import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.catalog.factories import ServiceFactory
from willkommen.catalog import selectors
from willkommen.catalog.models import Fee, Service
from willkommen.catalog.services import DEMO_CATALOG, load_catalog, load_catalog_file

pytestmark = pytest.mark.django_db

LANGUAGES = ["de", "en", "fr", "ru", "uk", "ar", "tr", "sq", "sr-latn"]


def fee(service, code, amount, valid_from, minor=None, position=0):
    return Fee.objects.create(
        service=service,
        code=code,
        position=position,
        label={"de": f"Gebühr {code}", "en": f"Fee {code}"},
        legal_basis="§ 45 Nr. 2b AufenthV",
        amount_cents=amount,
        minor_amount_cents=minor,
        valid_from=valid_from,
    )


def test_the_fee_in_force_is_the_newest_valid_from_per_code():
    service = ServiceFactory()
    old = fee(service, "over-3-months", 9300, date(2024, 1, 1), position=0)
    new = fee(service, "over-3-months", 9800, date(2026, 7, 1), position=0)
    short = fee(service, "up-to-3-months", 9600, date(2025, 1, 1), position=1)
    fee(ServiceFactory(), "over-3-months", 1, date(2020, 1, 1))  # another service's

    assert selectors.fees_of(service, date(2023, 12, 31)) == []
    assert selectors.fee_of(service, date(2023, 12, 31)) is None
    assert selectors.fees_of(service, date(2024, 1, 1)) == [old]
    assert selectors.fees_of(service, date(2025, 1, 1)) == [old, short]
    assert selectors.fees_of(service, date(2026, 6, 30)) == [old, short]
    assert selectors.fees_of(service, date(2026, 7, 1)) == [new, short]
    assert selectors.fee_of(service, date(2026, 7, 1)) == new
    assert selectors.fee_of(service, date(2026, 7, 1), code="up-to-3-months") == short
    assert selectors.fee_of(service, date(2024, 6, 1), code="up-to-3-months") is None


def test_the_minors_rate():
    service = ServiceFactory()
    reduced = fee(service, "a", 9300, date(2024, 1, 1), minor=4650)
    flat = fee(service, "b", 1300, date(2024, 1, 1))
    assert (reduced.amount_for(), reduced.amount_for(minor=True)) == (9300, 4650)
    # No reduced amount entered: minors pay the full fee.
    assert (flat.amount_for(), flat.amount_for(minor=True)) == (1300, 1300)


def test_a_minors_rate_above_the_full_fee_is_refused():
    service = ServiceFactory()
    wrong = Fee(
        service=service,
        code="a",
        label={"de": "A"},
        legal_basis="§ 44 AufenthV",
        amount_cents=5000,
        minor_amount_cents=5001,
        valid_from=date(2024, 1, 1),
    )
    with pytest.raises(ValidationError):
        wrong.full_clean()
    assert not Fee.objects.exists()


def test_the_demo_fees_load_dated_sourced_and_in_every_language():
    counts = load_catalog_file()
    assert counts["fees"] == Fee.objects.count() > 10
    extend = Service.objects.get(slug="aufenthaltserlaubnis-verlaengern")
    by_code = {f.code: f for f in selectors.fees_of(extend, date(2026, 12, 8))}
    assert set(by_code) == {"over-3-months", "up-to-3-months"}
    longer = by_code["over-3-months"]
    assert (longer.amount_cents, longer.minor_amount_cents) == (9300, 4650)
    assert longer.legal_basis == "§ 45 Nr. 2b AufenthV"
    assert by_code["up-to-3-months"].amount_cents == 9600
    settle = Service.objects.get(slug="niederlassungserlaubnis")
    assert selectors.fee_of(settle, date(2026, 12, 8)).amount_cents == 11300
    for row in Fee.objects.all():
        assert row.valid_from == date(2024, 1, 1) and "AufenthV" in row.legal_basis
        assert "interop.md" in row.source
        assert all(row.label.get(code) for code in LANGUAGES), row
    # Loading again changes nothing.
    assert load_catalog_file()["fees"] == counts["fees"]
    assert Fee.objects.count() == counts["fees"]


def demo_data():
    with open(DEMO_CATALOG, encoding="utf-8") as handle:
        return json.load(handle)


def first_service_with_fees(data):
    for category in data["categories"]:
        for service in category["services"]:
            if service.get("fees"):
                return service
    raise AssertionError("the demo catalogue has no fees")


def test_a_newer_amount_in_the_file_adds_a_row_and_keeps_the_old_one():
    load_catalog_file()
    data = demo_data()
    service_row = first_service_with_fees(data)
    changed = copy.deepcopy(service_row["fees"][0])
    changed.update(valid_from="2027-01-01", amount_cents=9900)
    service_row["fees"].append(changed)
    before = Fee.objects.count()
    load_catalog(data)
    assert Fee.objects.count() == before + 1
    service = Service.objects.get(slug=service_row["slug"])
    code = changed["code"]
    assert selectors.fee_of(service, date(2026, 12, 31), code=code).amount_cents != 9900
    assert selectors.fee_of(service, date(2027, 1, 1), code=code).amount_cents == 9900


def test_a_bad_fee_in_the_file_stores_nothing():
    data = demo_data()
    first_service_with_fees(data)["fees"][0]["minor_amount_cents"] = 10**6
    with pytest.raises(ValidationError):
        load_catalog(data)
    assert not Fee.objects.exists() and not Service.objects.exists()


def test_the_service_page_shows_the_fee(client, demo_catalog):
    body = client.get("/de/services/aufenthaltserlaubnis-verlaengern/").content.decode()
    assert "Verlängerung um mehr als drei Monate: 93,00\u00a0€ (unter 18: 46,50\u00a0€)" in body
    assert "§ 45 Nr. 2b AufenthV" in body and "96,00\u00a0€" in body
    english = client.get("/en/services/aufenthaltserlaubnis-verlaengern/").content.decode()
    assert "Extension for more than three months: €93.00 (under 18: €46.50)" in english
    arabic = client.get("/ar/services/aufenthaltserlaubnis-verlaengern/").content.decode()
    assert "تمديد لمدة تزيد على ثلاثة أشهر" in arabic and "دون 18 عامًا" in arabic
    ukrainian = client.get("/uk/services/niederlassungserlaubnis/").content.decode()
    assert "Дозвіл на постійне проживання" in ukrainian and "до 18 років" in ukrainian


def test_a_service_without_fees_keeps_its_old_fee_text(client, demo_catalog):
    service = Service.objects.get(slug="eat-abholung")
    assert not service.fees.exists()
    body = client.get(f"/de/services/{service.slug}/").content.decode()
    assert 'id="fees"' not in body
