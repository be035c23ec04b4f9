"""The payment confirmation mail: queued through the outbox with the payment, once, in the
applicant's language; none for a payment that did not go through or has no address."""

import pytest

from tests.cases.factories import make_case_type, open_case
from tests.catalog.factories import CounterFactory
from tests.frontdesk.factories import VisitFactory
from tests.payments.conftest import add_fee
from tests.payments.test_online import act, come_back, start, unlock
from willkommen.core.models import OutboxMail
from willkommen.payments import services
from willkommen.payments.models import Payment

pytestmark = pytest.mark.django_db


def paid_mails():
    return OutboxMail.objects.filter(dedupe_key__startswith="payment:")


def test_an_online_payment_is_confirmed_once(client, case, xbezahldienste):
    back = act(start(client, case), "pay")
    come_back(client, back)
    come_back(client, back)  # a double return does not mail twice
    payment = Payment.objects.get(case=case)
    mail = paid_mails().get()
    assert mail.dedupe_key == f"payment:{payment.pk}:paid" and mail.to == case.contact_email
    assert mail.subject == f"Zahlung für {case.reference} eingegangen"
    assert f"Zahlung über 93,00\u00a0€ für Ihren Vorgang {case.reference} erhalten" in mail.body
    assert f"/de/status/?reference={case.reference}" in mail.body
    assert "Belegnummer" not in mail.body and mail.language == "de"


def test_the_mail_is_in_the_language_the_applicant_paid_in(client, case, xbezahldienste):
    unlock(client, case)
    page = client.post(f"/en/payments/pay/{case.reference}/")["Location"]
    come_back(client, act(page, "pay"))
    mail = paid_mails().get()
    assert mail.language == "en" and mail.subject == f"Payment received for {case.reference}"
    assert f"We have received your payment of €93.00 for your case {case.reference}." in mail.body


@pytest.mark.parametrize("action", ["cancel", "fail"])
def test_no_mail_when_the_payment_did_not_go_through(client, case, xbezahldienste, action):
    come_back(client, act(start(client, case), action))
    assert not paid_mails().exists()


def test_a_counter_payment_is_confirmed_in_the_cases_language():
    case_type = make_case_type()
    add_fee(case_type.service)
    case = open_case(case_type, language="uk", contact_email="olena@example.org").case
    services.record_counter_payment(
        case=case, amount_cents=9300, channel="card", receipt_number="Q-77",
        counter=CounterFactory(), actor=None,
    )  # fmt: skip
    mail = paid_mails().get()
    assert mail.to == "olena@example.org" and mail.language == "uk"
    assert "Ми отримали ваш платіж" in mail.body and "Номер квитанції: Q-77" in mail.body
    assert "З повагою" in mail.body


def test_no_mail_without_an_address():
    case_type = make_case_type()
    add_fee(case_type.service)
    case = open_case(case_type, contact_email="").case
    counter = CounterFactory()
    services.record_counter_payment(
        case=case, amount_cents=9300, channel="cash", receipt_number="Q-1",
        counter=counter, actor=None,
    )  # fmt: skip
    services.record_counter_payment(
        visit=VisitFactory(location=counter.location), amount_cents=2880, channel="cash",
        receipt_number="Q-2", counter=counter, actor=None,
    )  # fmt: skip
    assert Payment.objects.count() == 2
    assert not paid_mails().exists()


def test_a_refused_counter_payment_queues_no_mail(case):
    counter = CounterFactory()
    services.record_counter_payment(
        case=case, amount_cents=9300, channel="cash", receipt_number="Q-1",
        counter=counter, actor=None,
    )  # fmt: skip
    with pytest.raises(services.PaymentError):
        services.record_counter_payment(
            case=case, amount_cents=100, channel="cash", receipt_number="Q-1",
            counter=counter, actor=None,
        )  # fmt: skip
    assert paid_mails().count() == 1
