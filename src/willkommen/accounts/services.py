"""Writes of the accounts app."""

import hashlib
import logging
import secrets
import string

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from willkommen.accounts.models import ProviderIdentity, Team, User
from willkommen.accounts.roles import Role
from willkommen.accounts.selectors import grants_for_groups

logger = logging.getLogger(__name__)


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


def _free_username(claims: dict, issuer: str) -> str:
    """The provider's user name where it is free, else one derived from the subject.

    Never an existing account's name: that account is not linked, whatever it is called.
    """
    wanted = (claims.get("preferred_username") or claims.get("email") or "").strip()[:100]
    if wanted and not User.objects.filter(username__iexact=wanted).exists():
        return wanted
    digest = hashlib.sha256(f"{issuer} {claims['sub']}".encode()).hexdigest()[:12]
    return f"{wanted or 'sso'}-{digest}"


def _provider_user(issuer: str, claims: dict) -> User:
    """The identity's user, locked; created at the first sign-on.

    Two first sign-ons at once (two tabs) both find no identity; the unique constraint
    lets one create it and the other, in its savepoint, takes that one.
    """
    found = ProviderIdentity.objects.select_for_update().select_related("user")
    identity = found.filter(issuer=issuer, subject=claims["sub"]).first()
    if identity is not None:
        return identity.user
    try:
        with transaction.atomic():
            user = User(username=_free_username(claims, issuer))
            user.set_unusable_password()
            user.save()
            ProviderIdentity.objects.create(user=user, issuer=issuer, subject=claims["sub"])
            return user
    except IntegrityError:
        identity = found.filter(issuer=issuer, subject=claims["sub"]).first()
        if identity is None:  # the user name, not the identity, was taken meanwhile
            raise
        return identity.user


@transaction.atomic
def sign_in_from_provider(*, issuer: str, claims: dict, groups: list[str]) -> User:
    """Find or create the staff member of a verified sign-on, and set roles and teams.

    The groups are the truth at every sign-on: a role or team whose group is gone is
    taken away (also from the person's other open sessions, since roles are read per
    request). Roles outside the role groups and the superuser flag stay untouched.
    """
    roles, team_slugs = grants_for_groups(groups)
    user = _provider_user(issuer, claims)
    user.first_name = str(claims.get("given_name") or user.first_name)[:150]
    user.last_name = str(claims.get("family_name") or user.last_name)[:150]
    user.email = str(claims.get("email") or user.email)[:254]
    # The Django admin asks for is_staff on top of the admin role.
    user.is_staff = Role.ADMIN in roles or user.is_superuser
    user.save()
    role_groups = Group.objects.filter(name__in=Role.values)
    user.groups.remove(*role_groups.exclude(name__in=roles))
    user.groups.add(*role_groups.filter(name__in=roles))
    user.teams.set(Team.objects.filter(slug__in=team_slugs, is_active=True))
    logger.info(
        "single sign-on of %s: roles %s, teams %s",
        user.username,
        ",".join(sorted(roles)) or "-",
        ",".join(sorted(team_slugs)) or "-",
    )
    return user
