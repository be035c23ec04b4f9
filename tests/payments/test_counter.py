"""Reception at the counter: cash and card against a case or today's visit, refunds, the
day's cash report that the cash office (Stadtkasse) sums against its till."""

import csv
import io
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from tests.accounts.factories import UserFactory
from tests.catalog.factories import CounterFactory, LocationFactory
from tests.frontdesk.factories import VisitFactory
from willkommen.accounts.roles import Role
from willkommen.core.models import AppendOnlyError
from willkommen.payments import selectors, services
from willkommen.payments.errors import PaymentError
from willkommen.payments.models import Payment, PaymentEvent, Refund
from willkommen.payments.states import Status

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def counter(db):
    return CounterFactory(location=LocationFactory(slug="rathaus"), name="Kasse 1")


@pytest.fixture
def reception(client):
    user = UserFactory(roles=[Role.RECEPTION])
    client.force_login(user)
    return user


def post(client, counter, **fields):
    data = {"counter": counter.pk, "channel": "cash", "amount": "93,00", "receipt_number": "Q-1"}
    data.update(fields)
    return client.post("/de/staff/payments/", data)


def test_reception_records_cash_against_a_case(client, reception, counter, case):
    response = post(client, counter, reference=case.reference, receipt_number="Q-100")
    assert response.status_code == 302
    payment = Payment.objects.get(case=case)
    assert (payment.channel, payment.amount_cents, payment.status) == ("cash", 9300, Status.PAYED)
    assert payment.receipt_number == "Q-100" and payment.counter == counter
    assert payment.recorded_by == reception and payment.settled_at is not None
    event = PaymentEvent.objects.get(payment=payment)
    assert (event.action, event.to_status, event.actor) == ("record", Status.PAYED, reception)
    assert selectors.account_of(case).is_paid
    page = client.get("/de/staff/payments/").content.decode()
    assert "Zahlung erfasst, Beleg Q-100." in page


def test_reception_records_card_against_todays_visit(client, reception, counter):
    visit = VisitFactory(location=counter.location, ticket_prefix="A", ticket_number=7)
    response = post(client, counter, ticket="a7", channel="card", amount="28,80")
    assert response.status_code == 302
    payment = Payment.objects.get(visit=visit)
    assert (payment.case, payment.channel, payment.amount_cents) == (None, "card", 2880)
    assert payment.purpose == "Gebuehr A007"


def test_a_receipt_number_is_taken_once_per_counter(client, reception, counter, case):
    assert post(client, counter, reference=case.reference, receipt_number="Q-7").status_code == 302
    again = post(client, counter, reference=case.reference, receipt_number=" Q-7 ")
    assert again.status_code == 400
    assert "Die Belegnummer Q-7 ist an diesem Schalter schon vergeben." in again.content.decode()
    assert Payment.objects.count() == 1
    # Another counter's receipt block is its own.
    other = CounterFactory(location=counter.location, name="Kasse 2")
    assert post(client, other, reference=case.reference, receipt_number="Q-7").status_code == 302
    assert Payment.objects.count() == 2


@pytest.mark.parametrize(
    "fields, message",
    [
        ({}, "Geben Sie ein Aktenzeichen oder eine Wartenummer ein."),
        ({"reference": "X-2026-999999"}, "Es gibt keinen Vorgang mit diesem Aktenzeichen."),
        ({"ticket": "Z999"}, "Heute gibt es keine Vorsprache mit dieser Nummer."),
        ({"ticket": "A1", "amount": "zwölf"}, "Geben Sie einen Betrag in Euro ein"),
        ({"ticket": "A1", "amount": "0"}, "Geben Sie einen Betrag in Euro ein"),
        ({"ticket": "A1", "amount": "1,234"}, "Geben Sie einen Betrag in Euro ein"),
        ({"ticket": "A1", "channel": "online"}, "Bitte eine gültige Auswahl treffen"),
    ],
)
def test_bad_counter_input_is_refused_and_changes_nothing(
    client, reception, counter, fields, message
):
    VisitFactory(location=counter.location, ticket_prefix="A", ticket_number=1)
    response = post(client, counter, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Payment.objects.exists()


def test_the_counter_is_for_reception_not_clerks(client, counter, case):
    assert client.get("/de/staff/payments/").status_code == 302  # to the login page
    client.force_login(UserFactory(roles=[Role.CLERK]))
    assert client.get("/de/staff/payments/").status_code == 403
    assert post(client, counter, reference=case.reference).status_code == 403
    assert (
        client.get(f"/de/staff/payments/cash-report/{counter.pk}.csv?day=2027-03-10").status_code
        == 403
    )
    assert not Payment.objects.exists()


def cash(case, counter, amount, receipt, channel="cash", actor=None):
    return services.record_counter_payment(
        case=case,
        amount_cents=amount,
        channel=channel,
        receipt_number=receipt,
        counter=counter,
        actor=actor,
    )


def test_a_refund_is_never_more_than_was_paid(case, counter):
    payment = cash(case, counter, 9300, "Q-1")
    services.record_refund(payment, amount_cents=3000, reason="zu viel kassiert", actor=None)
    with pytest.raises(PaymentError, match="nicht höher sein als die Zahlung"):
        services.record_refund(payment, amount_cents=6301, reason="noch einmal", actor=None)
    services.record_refund(payment, amount_cents=6300, reason="Antrag zurückgenommen", actor=None)
    with pytest.raises(PaymentError, match="nicht höher sein als die Zahlung"):
        services.record_refund(payment, amount_cents=1, reason="noch einmal", actor=None)
    assert list(Refund.objects.values_list("amount_cents", flat=True)) == [3000, 6300]
    account = selectors.account_of(case)
    assert (account.paid_cents, account.refunded_cents, account.open_cents) == (9300, 9300, 9300)


def test_a_refund_needs_a_paid_payment_and_a_reason(case, counter, xbezahldienste):
    online = services.start_online_payment(
        case, language="de", return_url=lambda r: f"http://x/{r}", notify_url=lambda r: "http://x/"
    )
    with pytest.raises(PaymentError, match="Nur eine bezahlte Zahlung"):
        services.record_refund(online, amount_cents=100, reason="Irrtum", actor=None)
    paid = cash(case, counter, 9300, "Q-2")
    with pytest.raises(PaymentError, match="Grund der Erstattung"):
        services.record_refund(paid, amount_cents=100, reason="  ", actor=None)
    with pytest.raises(PaymentError, match="größer als null"):
        services.record_refund(paid, amount_cents=0, reason="Irrtum", actor=None)
    assert not Refund.objects.exists()


def test_refunds_and_payment_events_are_append_only(case, counter):
    payment = cash(case, counter, 9300, "Q-3")
    refund = services.record_refund(payment, amount_cents=500, reason="Rundung", actor=None)
    refund.amount_cents = 1
    with pytest.raises(AppendOnlyError):
        refund.save()
    with pytest.raises(AppendOnlyError):
        refund.delete()
    with pytest.raises(AppendOnlyError):
        Refund.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        PaymentEvent.objects.filter(payment=payment).update(to_status="FAILED")
    assert Refund.objects.get().amount_cents == 500


def rows_of(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))


def test_the_daily_cash_report_sums_to_what_was_taken(client, reception, counter, case):
    """Payments at 08:05 (cash) and 15:40 (card), a refund at 16:00; another counter's and
    yesterday's payment are not in it; the report's totals are the sums of its lines."""
    other_counter = CounterFactory(location=counter.location, name="Kasse 2")
    visit = VisitFactory(location=counter.location, ticket_prefix="B", ticket_number=12)
    moments = {
        "yesterday": datetime(2027, 3, 9, 23, 30, tzinfo=BERLIN),
        "morning": datetime(2027, 3, 10, 0, 5, tzinfo=BERLIN),  # just after midnight, local
        "afternoon": datetime(2027, 3, 10, 15, 40, tzinfo=BERLIN),
        "refund": datetime(2027, 3, 10, 16, 0, tzinfo=BERLIN),
    }
    with mock.patch("willkommen.core.clock.now", return_value=moments["yesterday"]):
        cash(case, counter, 1000, "Q-9")
    with mock.patch("willkommen.core.clock.now", return_value=moments["morning"]):
        paid = cash(case, counter, 9300, "Q-10", actor=reception)
        cash(case, other_counter, 5000, "R-1")
    with mock.patch("willkommen.core.clock.now", return_value=moments["afternoon"]):
        services.record_counter_payment(
            visit=visit,
            amount_cents=2880,
            channel="card",
            receipt_number="Q-11",
            counter=counter,
            actor=reception,
        )
    with mock.patch("willkommen.core.clock.now", return_value=moments["refund"]):
        services.record_refund(
            paid, amount_cents=4650, reason="Kind", actor=reception, counter=counter,
            receipt_number="Q-12",
        )  # fmt: skip

    response = client.get(f"/de/staff/payments/cash-report/{counter.pk}.csv?day=2027-03-10")
    assert response.status_code == 200
    assert "kassenbericht-rathaus" in response["Content-Disposition"]
    header, *lines = rows_of(response)
    assert header == ["time", "kind", "receipt_number", "reference", "channel", "amount_cents"]
    entries = [row for row in lines if row[1] != "total"]
    assert [row[:3] for row in entries] == [
        ["00:05:00", "payment", "Q-10"],
        ["15:40:00", "payment", "Q-11"],
        ["16:00:00", "refund", "Q-12"],
    ]
    assert [row[3] for row in entries] == [case.reference, "B012", case.reference]
    totals = {row[4]: int(row[5]) for row in lines if row[1] == "total"}
    # What the till holds: every line summed, per channel and in all.
    for channel in ("cash", "card"):
        assert totals[channel] == sum(int(r[5]) for r in entries if r[4] == channel)
    assert totals == {"cash": 9300 - 4650, "card": 2880, "all": 9300 - 4650 + 2880}
    # …and the same sums straight from the payments and refunds stored for that counter.
    day_payments = Payment.objects.filter(counter=counter, settled_at__gte=moments["morning"])
    stored = sum(day_payments.values_list("amount_cents", flat=True))
    stored -= sum(Refund.objects.filter(counter=counter).values_list("amount_cents", flat=True))
    assert totals["all"] == stored

    yesterday = rows_of(
        client.get(f"/de/staff/payments/cash-report/{counter.pk}.csv?day=2027-03-09")
    )
    assert [row[2] for row in yesterday[1:] if row[1] != "total"] == ["Q-9"]
    empty_day = (moments["refund"] + timedelta(days=1)).date().isoformat()
    empty = rows_of(client.get(f"/de/staff/payments/cash-report/{counter.pk}.csv?day={empty_day}"))
    assert [row[5] for row in empty[1:]] == ["0", "0", "0"]


def test_the_cash_report_refuses_a_bad_day(client, reception, counter):
    response = client.get(f"/de/staff/payments/cash-report/{counter.pk}.csv?day=gestern")
    assert response.status_code == 400
    assert client.get("/de/staff/payments/cash-report/99999.csv?day=2027-03-10").status_code == 404
