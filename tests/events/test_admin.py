"""Subscribers are configured by the admin role in the admin; nobody else reaches them."""

import pytest

from tests.accounts.factories import UserFactory
from willkommen.accounts.roles import Role
from willkommen.events.models import EventType, Subscriber

pytestmark = pytest.mark.django_db
ADD = "/admin/events/subscriber/add/"


def logged_in(client, role):
    client.force_login(UserFactory(roles=[role], is_staff=True))
    return client


def test_the_admin_role_adds_a_subscriber_with_chosen_types(client):
    admin = logged_in(client, Role.ADMIN)
    form = admin.get(ADD)
    assert form.status_code == 200
    assert 'name="secret"' in form.content.decode()  # offered with a random secret
    answer = admin.post(
        ADD,
        {
            "name": "Data warehouse",
            "url": "https://dwh.example.de/hooks",
            "secret": "a-secret-long-enough",
            "event_types": [EventType.CASE, EventType.VISIT],
            "active": "on",
        },
    )
    assert answer.status_code == 302, answer.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.event_types == [EventType.CASE, EventType.VISIT]
    assert subscriber.personal_data is False
    assert subscriber.wants(EventType.CASE) and not subscriber.wants(EventType.APPOINTMENT)
    assert admin.get("/admin/events/delivery/").status_code == 200


def test_a_short_secret_is_refused_and_nothing_saved(client):
    admin = logged_in(client, Role.ADMIN)
    answer = admin.post(ADD, {"name": "X", "url": "https://x.example.de/", "secret": "short"})
    assert answer.status_code == 200
    assert "mindestens 16 Zeichen" in answer.content.decode()  # the admin speaks German
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("role", [Role.CLERK, Role.TEAM_LEAD, Role.CONTROLLER])
def test_other_roles_do_not_reach_the_subscribers(client, role):
    answer = logged_in(client, role).get(ADD)
    assert answer.status_code in (302, 403, 404)
    assert not Subscriber.objects.exists()
