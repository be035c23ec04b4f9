"""The admin adds a webhook subscriber in the browser (the one page of events a person uses)."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_staff import log_in
from willkommen.accounts.roles import Role
from willkommen.events.models import EventType, Subscriber

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_adds_a_subscriber_for_case_events_without_personal_data(live_server, page):
    UserFactory(username="ada", roles=[Role.ADMIN], is_staff=True)
    log_in(page, live_server.url, "ada")
    page.goto(f"{live_server.url}/admin/events/subscriber/add/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Webhook-Empfänger")
    secret = page.get_by_label("Signaturgeheimnis")
    assert len(secret.input_value()) >= 32  # offered at random
    assert_accessible(page, "(webhook subscriber form)")
    page.get_by_label("Name").fill("Fachverfahren")
    page.get_by_label("URL").fill("https://fachverfahren.example.de/hooks")
    page.get_by_label("Bearbeitungsstand eines Vorgangs geändert").check()
    page.get_by_role("button", name="Sichern", exact=True).click()
    expect(
        page.locator("#result_list").get_by_role("link", name="Fachverfahren", exact=True)
    ).to_be_visible()
    assert_accessible(page, "(webhook subscriber list)")
    subscriber = Subscriber.objects.get()
    assert subscriber.event_types == [EventType.CASE]
    assert subscriber.personal_data is False and subscriber.active
