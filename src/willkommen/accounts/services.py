"""Writes of the accounts app."""

import secrets
import string

from django.contrib.auth.models import Group
from django.db import transaction

from willkommen.accounts.models import Team, User
from willkommen.accounts.roles import Role


def system_user(username: str, first_name: str, last_name: str) -> User:
    """An inactive account without a password that records what no person did here
    (the demo's history, imported past data): work items and events need an actor."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


DEMO_STAFF = [
    # username, role, first name, last name, teams
    ("empfang", Role.RECEPTION, "Erika", "Empfang", []),
    ("sachbearbeitung", Role.CLERK, "Samir", "Sachbearbeiter", ["allgemein", "familie"]),
    (
        "teamleitung",
        Role.TEAM_LEAD,
        "Tanja",
        "Teamleiterin",
        ["allgemein", "familie", "fachkraefte"],
    ),
    ("controlling", Role.CONTROLLER, "Conrad", "Controller", []),
    ("admin", Role.ADMIN, "Ada", "Admin", []),
]


def generate_password(length: int = 16) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


@transaction.atomic
def create_demo_staff() -> list[tuple[str, str, str | None]]:
    """Create one demo account per role. Existing accounts keep their password.

    Returns (username, role, new password or None if the account existed).
    """
    created = []
    for username, role, first, last, team_slugs in DEMO_STAFF:
        user, is_new = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        password = None
        if is_new:
            password = generate_password()
            user.set_password(password)
            user.is_staff = role == Role.ADMIN
            user.save()
        user.groups.add(Group.objects.get(name=role))
        if team_slugs:
            user.teams.add(*Team.objects.filter(slug__in=team_slugs))
        created.append((username, role.label, password))
    return created
