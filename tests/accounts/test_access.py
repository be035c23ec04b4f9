import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.accounts.factories import TeamFactory, UserFactory
from willkommen.accounts.roles import Role, has_role, roles_of
from willkommen.accounts.services import create_demo_staff

pytestmark = pytest.mark.django_db


def test_role_groups_exist_after_migrations():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_roles_of_user_and_superuser():
    clerk = UserFactory(roles=[Role.CLERK])
    assert roles_of(clerk) == {"clerk"}
    assert has_role(clerk, Role.CLERK, Role.TEAM_LEAD)
    assert not has_role(clerk, Role.ADMIN)
    boss = UserFactory(is_superuser=True)
    assert roles_of(boss) == set(Role.values)
    inactive = UserFactory(roles=[Role.ADMIN], is_active=False)
    assert roles_of(inactive) == frozenset()


def test_staff_start_page_requires_login(client):
    response = client.get("/de/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/de/staff/login/?next=/de/staff/")


def test_staff_start_page_refuses_users_without_a_role(client):
    client.force_login(UserFactory())
    response = client.get("/de/staff/")
    assert response.status_code == 403
    assert "Zugriff verweigert" in response.content.decode()


def test_staff_start_page_shows_roles_and_teams(client):
    team = TeamFactory(name="Einbürgerung")
    client.force_login(UserFactory(roles=[Role.CLERK], member_of=[team]))
    body = client.get("/en/staff/").content.decode()
    assert "Clerk" in body and "Einbürgerung" in body
    assert "/admin/" not in body


def test_login_with_password(client):
    UserFactory(username="erika", roles=[Role.RECEPTION])
    response = client.post(
        "/de/staff/login/", {"username": "erika", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")


def test_wrong_password_is_refused_with_a_clear_message(client):
    UserFactory(username="erika", roles=[Role.RECEPTION])
    response = client.post("/en/staff/login/", {"username": "erika", "password": "wrong"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_account_locks_after_repeated_failures(client, settings):
    UserFactory(username="erika", roles=[Role.RECEPTION])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/de/staff/login/", {"username": "erika", "password": "wrong"})
    response = client.post(
        "/de/staff/login/", {"username": "erika", "password": "correct horse battery staple"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_admin_is_for_the_admin_role_only(client):
    client.force_login(UserFactory(roles=[Role.TEAM_LEAD], is_staff=True))
    assert client.get("/admin/").status_code == 302  # to the admin login: not permitted
    client.force_login(UserFactory(roles=[Role.ADMIN], is_staff=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "core/admin.css" in response.content.decode()


def test_admin_can_edit_a_service_with_texts_per_language(client, demo_catalog):
    from willkommen.catalog.models import Service

    client.force_login(UserFactory(roles=[Role.ADMIN], is_staff=True))
    service = Service.objects.get(slug="blaue-karte-eu")
    response = client.get(f"/admin/catalog/service/{service.pk}/change/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="name_0"' in body and 'name="name_1"' in body


def test_demo_staff_prints_passwords_only_once():
    first = create_demo_staff()
    assert len(first) == len(Role.values)
    assert all(password for _, _, password in first)
    second = create_demo_staff()
    assert all(password is None for _, _, password in second)


def test_outside_tests_passwords_are_hashed_with_argon2():
    import os
    import subprocess
    import sys

    code = (
        "import django; from django.conf import settings; django.setup(); "
        "from django.contrib.auth.hashers import make_password; print(make_password('x')[:7])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "willkommen.settings", "SECRET_KEY": "k" * 50}
    env.pop("DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "argon2$"


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        (Role.CLERK, [], ["/admin/", "/staff/controlling/"]),
        (Role.CONTROLLER, ["/de/staff/controlling/staffing/"], ["/admin/"]),
        (Role.ADMIN, ["/admin/"], ["/staff/controlling/"]),
    ],
)
def test_start_page_shows_the_work_areas_of_the_users_roles(client, role, visible, hidden):
    client.force_login(UserFactory(roles=[role]))
    body = client.get("/de/staff/").content.decode()
    for path in visible:
        assert f'href="{path}' in body
    for path in hidden:
        assert f'href="{path}' not in body
