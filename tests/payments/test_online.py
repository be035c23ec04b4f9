"""Online payment against the provider doubles: pay, cancel, fail, and every bad answer."""

from urllib.parse import urlsplit

import httpx
import pytest

from willkommen.payments import providers, selectors, services
from willkommen.payments.errors import PaymentUnavailable
from willkommen.payments.models import Payment, PaymentEvent, ProviderNotice
from willkommen.payments.states import Status

pytestmark = pytest.mark.django_db


def unlock(client, case):
    session = client.session
    session["cases_unlocked"] = [case.pk]
    session.save()


def start(client, case):
    """The applicant presses "pay the fee online"; returns the provider's page address."""
    unlock(client, case)
    response = client.post(f"/de/payments/pay/{case.reference}/")
    assert response.status_code == 302, response.content
    return response["Location"]


def act(page_url, action):
    """The applicant acts on the double's payment page; returns where it sends them back."""
    answer = httpx.post(f"{page_url}/{action}", follow_redirects=False)
    assert answer.status_code == 303
    return answer.headers["location"]


def come_back(client, location):
    parts = urlsplit(location)
    return client.get(parts.path + (f"?{parts.query}" if parts.query else ""))


def test_pay_through_xbezahldienste(client, case, xbezahldienste):
    page = start(client, case)
    payment = Payment.objects.get(case=case)
    assert payment.status == Status.INITIAL and payment.amount_cents == 9300
    sent = xbezahldienste.transactions[payment.provider_reference]["request"]
    assert sent["requestId"] == payment.request_id and len(sent["requestId"]) <= 36
    assert str(sent["grossAmount"]) == "93.0" and sent["currency"] == "EUR"
    back = act(page, "pay")
    response = come_back(client, back)
    assert response.status_code == 200
    assert "Gebühr ist bezahlt" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == Status.PAYED and payment.settled_at is not None
    account = selectors.account_of(case)
    assert account.is_paid and account.open_cents == 0
    # The status page now says so and offers no second payment.
    page_html = client.get(f"/de/status/{case.reference}/").content.decode()
    assert "die Gebühr ist bezahlt" in page_html
    assert "Gebühr online bezahlen" not in page_html


def test_a_second_press_reuses_the_open_payment(client, case, xbezahldienste):
    first = start(client, case)
    second = start(client, case)
    assert first == second
    assert Payment.objects.filter(case=case).count() == 1
    assert len(xbezahldienste.by_request) == 1


def test_cancel_then_pay_again(client, case, xbezahldienste):
    come_back(client, act(start(client, case), "cancel"))
    cancelled = Payment.objects.get(case=case)
    assert cancelled.status == Status.CANCELED
    assert selectors.account_of(case).open_cents == 9300
    come_back(client, act(start(client, case), "pay"))
    assert list(Payment.objects.filter(case=case).values_list("status", flat=True)) == [
        Status.PAYED,
        Status.CANCELED,
    ]


def test_failed_payment(client, case, xbezahldienste):
    response = come_back(client, act(start(client, case), "fail"))
    assert "nicht geklappt" in response.content.decode()
    assert Payment.objects.get(case=case).status == Status.FAILED
    assert selectors.account_of(case).open_cents == 9300


def test_return_before_paying_changes_nothing(client, case, xbezahldienste):
    """The redirect is never trusted: coming back without paying leaves it open."""
    start(client, case)
    payment = Payment.objects.get(case=case)
    response = client.get(f"/de/payments/return/{payment.request_id}/?status=PAYED")
    assert "warten" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == Status.INITIAL


def test_double_return_settles_once(client, case, xbezahldienste):
    back = act(start(client, case), "pay")
    come_back(client, back)
    come_back(client, back)
    payment = Payment.objects.get(case=case)
    assert payment.status == Status.PAYED
    assert PaymentEvent.objects.filter(payment=payment, action="pay").count() == 1
    assert ProviderNotice.objects.filter(payment=payment, kind="repeated").count() == 1


def test_unknown_state_changes_nothing(client, case, xbezahldienste):
    back = act(start(client, case), "pay")
    payment = Payment.objects.get(case=case)
    xbezahldienste.force_state(payment.provider_reference, "REFUNDED")
    come_back(client, back)
    payment.refresh_from_db()
    assert payment.status == Status.INITIAL
    notice = ProviderNotice.objects.get(kind="unknown_state")
    assert "REFUNDED" in notice.detail and notice.payment == payment


def test_provider_500_on_start(client, case, xbezahldienste):
    xbezahldienste.fail_next = 1
    unlock(client, case)
    response = client.post(f"/de/payments/pay/{case.reference}/", follow=True)
    assert "nicht erreichbar" in response.content.decode()
    payment = Payment.objects.get(case=case)
    assert payment.status == Status.FAILED
    assert ProviderNotice.objects.filter(kind="provider_error", payment=payment).exists()


def test_provider_500_on_status_keeps_it_open(client, case, xbezahldienste):
    back = act(start(client, case), "pay")
    xbezahldienste.fail_next = 1
    come_back(client, back)
    payment = Payment.objects.get(case=case)
    assert payment.status == Status.INITIAL
    assert ProviderNotice.objects.filter(kind="provider_error").exists()
    come_back(client, back)  # the provider is back: the next return settles it
    payment.refresh_from_db()
    assert payment.status == Status.PAYED


def test_unknown_request_id(client, db, xbezahldienste):
    response = client.get("/de/payments/return/0123456789abcdef/")
    assert response.status_code == 404
    assert ProviderNotice.objects.get(kind="unknown_request").request_id == "0123456789abcdef"
    assert not Payment.objects.exists()


def test_xbezahldienste_refuses_a_repeated_request_id(case, xbezahldienste):
    adapter = providers.get("xbezahldienste")
    order = providers.Order("r-1", 9300, "Gebuehr", "Test", "http://testserver/back/")
    adapter.start(order)
    with pytest.raises(providers.ProviderError) as refused:
        adapter.start(order)
    assert refused.value.code == "PAYMENT_EXISTS"


def test_xbezahldienste_wrong_credentials(case, xbezahldienste, settings):
    settings.XBEZAHLDIENSTE_PASSWORD = "falsch"
    with pytest.raises(providers.ProviderError) as refused:
        providers.get("xbezahldienste").start(
            providers.Order("r-2", 100, "Gebuehr", "Test", "http://testserver/back/")
        )
    assert refused.value.code == "FORBIDDEN"


def test_no_provider_configured(case, settings):
    settings.PAYMENTS_PROVIDER = ""
    with pytest.raises(PaymentUnavailable):
        services.start_online_payment(case, language="de", return_url=str)
    assert not Payment.objects.exists()


# --- GiroCheckout ---------------------------------------------------------------


def test_pay_through_girocheckout_with_notification(client, case, girocheckout):
    page = start(client, case)
    payment = Payment.objects.get(case=case)
    assert payment.provider == "girocheckout"
    sent = girocheckout.transactions[payment.provider_reference]["form"]
    assert sent["amount"] == "9300" and sent["merchantTxId"] == payment.request_id
    act(page, "pay")
    # The signed notification arrives (server to server) before the applicant returns.
    params = girocheckout.notification(payment.provider_reference)
    response = client.get("/payments/notify/girocheckout/", params)
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == Status.PAYED


def test_girocheckout_cancel_on_return(client, case, girocheckout):
    back = act(start(client, case), "cancel")
    assert "gcHash=" in back
    come_back(client, back)
    assert Payment.objects.get(case=case).status == Status.CANCELED


def test_girocheckout_forged_notification(client, case, girocheckout):
    start(client, case)
    payment = Payment.objects.get(case=case)
    params = girocheckout.notification(payment.provider_reference, result=4000)
    params["gcHash"] = "0" * 32
    response = client.post("/payments/notify/girocheckout/", params)
    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.status == Status.INITIAL
    assert ProviderNotice.objects.filter(kind="forged").exists()


def test_girocheckout_notification_for_unknown_request(client, db, girocheckout):
    params = girocheckout.notification("nope", merchant_tx_id="f" * 32, result=4000)
    response = client.get("/payments/notify/girocheckout/", params)
    assert response.status_code == 404
    assert ProviderNotice.objects.get(kind="unknown_request").request_id == "f" * 32
    assert not Payment.objects.exists()


def test_girocheckout_result_codes():
    from willkommen.payments.providers.girocheckout import state_of

    assert state_of(4000) == Status.PAYED
    assert state_of("4502") == Status.CANCELED
    assert state_of(4900) == Status.FAILED
    assert state_of(None) == Status.INITIAL
    with pytest.raises(providers.UnknownProviderState):
        state_of(7777)
