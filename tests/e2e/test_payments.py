"""Fees end to end: the applicant pays online through the XBezahldienste double, reception
takes cash at the counter, the clerk sees both on the case page."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.cases.factories import make_case_type, open_case
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_staff import log_in
from tests.payments.conftest import serving_xbezahldienste
from willkommen.accounts.roles import Role
from willkommen.catalog.models import Counter, Service
from willkommen.core.models import OutboxMail
from willkommen.payments.models import Payment, PaymentEvent
from willkommen.payments.states import Status

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def provider(settings):
    with serving_xbezahldienste(settings) as double:
        yield double


@pytest.fixture
def office(transactional_db, settings, tmp_path, live_server):
    """The demo catalogue (with its AufenthV fees) and a case type for the extension."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_BASE_URL = live_server.url  # where the provider sends the applicant back
    call_command("load_demo_catalog", verbosity=0)
    return make_case_type(Service.objects.get(slug="aufenthaltserlaubnis-verlaengern"))


def test_applicant_pays_online_and_sees_the_case_paid(live_server, new_page, office, provider):
    opened = open_case(office)
    reference = opened.case.reference

    applicant = new_page()
    applicant.goto(f"{live_server.url}/de/status/")
    applicant.get_by_label("Aktenzeichen").fill(reference)
    applicant.get_by_label("Zugangscode").fill(opened.access_code)
    applicant.get_by_role("button", name="Status anzeigen").click()
    expect(applicant.locator("#fee")).to_contain_text("Verlängerung um mehr als drei Monate")
    expect(applicant.locator("#fee-open")).to_have_text("93,00\u00a0€")
    assert_accessible(applicant, "(status page with the fee)")

    applicant.get_by_role("button", name="Gebühr online bezahlen").click()
    # The provider's page (the double): the browser really left willkommen.
    expect(applicant).to_have_url(re.compile(re.escape(provider.url)))
    applicant.get_by_role("button", name="Jetzt bezahlen").click()

    expect(applicant.get_by_role("heading", level=1)).to_have_text("Ihre Zahlung")
    expect(applicant.get_by_text("Vielen Dank, die Gebühr ist bezahlt.")).to_be_visible()
    assert_accessible(applicant, "(payment return page)")
    payment = Payment.objects.get(case=opened.case)
    assert (payment.status, payment.amount_cents, payment.channel) == (Status.PAYED, 9300, "online")
    # Settled by asking the provider, not by the redirect.
    assert PaymentEvent.objects.get(payment=payment, action="pay").source == "return"
    mail = OutboxMail.objects.get(dedupe_key=f"payment:{payment.pk}:paid")
    assert mail.to == opened.case.contact_email and "93,00\u00a0€" in mail.body

    applicant.get_by_role("link", name="Zurück zu Ihrer Statusseite").click()
    expect(applicant.locator("#fee-open")).to_have_text("Nichts: die Gebühr ist bezahlt.")
    expect(applicant.get_by_role("button", name="Gebühr online bezahlen")).to_have_count(0)


def test_applicant_pays_in_arabic(live_server, new_page, office, provider):
    opened = open_case(office, language="ar")
    applicant = new_page(locale="ar")
    applicant.goto(f"{live_server.url}/ar/status/")
    applicant.locator("input[name=reference]").fill(opened.case.reference)
    applicant.locator("input[name=code]").fill(opened.access_code)
    applicant.locator("form button[type=submit]").first.click()
    applicant.get_by_role("button", name="ادفع الرسوم عبر الإنترنت").click()
    applicant.get_by_role("button", name="Abbrechen").click()
    expect(applicant.locator("html")).to_have_attribute("dir", "rtl")
    expect(applicant.get_by_text("تم إلغاء الدفع.")).to_be_visible()
    assert_accessible(applicant, "(return page, cancelled, Arabic)")
    assert Payment.objects.get(case=opened.case).status == Status.CANCELED


def test_reception_takes_cash_and_the_clerk_sees_it(live_server, new_page, office):
    case = open_case(office).case
    counter = Counter.objects.filter(is_active=True).first()
    UserFactory(username="rita", roles=[Role.RECEPTION])
    UserFactory(username="samir", roles=[Role.CLERK], member_of=[case.team])

    reception = new_page()
    log_in(reception, live_server.url, "rita")
    reception.get_by_role("link", name=re.compile("^Zahlungen")).click()
    expect(reception.get_by_role("heading", level=1)).to_have_text("Zahlungen am Schalter")
    assert_accessible(reception, "(counter page)")
    reception.get_by_role("button", name="Zahlung erfassen").click()  # empty: refused
    expect(reception.locator("#error-summary")).to_be_visible()
    assert_accessible(reception, "(counter page with errors)")
    reception.get_by_label("Schalter").select_option(str(counter.pk))
    reception.get_by_label("Aktenzeichen").fill(case.reference)
    reception.get_by_label("Bezahlt mit").select_option("cash")
    reception.get_by_label("Betrag in Euro").fill("93,00")
    reception.get_by_label("Belegnummer").fill("Q-2026-0815")
    reception.get_by_role("button", name="Zahlung erfassen").click()
    expect(reception.get_by_text("Zahlung erfasst, Beleg Q-2026-0815.")).to_be_visible()
    payment = Payment.objects.get(case=case)
    assert (payment.channel, payment.amount_cents, payment.counter) == ("cash", 9300, counter)

    clerk = new_page()
    log_in(clerk, live_server.url, "samir")
    clerk.goto(f"{live_server.url}/de/staff/cases/{case.reference}/")
    expect(clerk.locator("#fees-paid")).to_have_text("93,00\u00a0€")
    expect(clerk.locator("#fees-open")).to_have_text("vollständig bezahlt")
    expect(clerk.locator("#payments")).to_contain_text("Beleg Q-2026-0815")
    assert_accessible(clerk, "(case page with the payment section)")
