"""Reads of the accounts app."""

from django.conf import settings

from willkommen.accounts.models import GroupMapping
from willkommen.accounts.roles import Role


def grants_for_groups(groups: list[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The roles and team short names that the identity provider's ``groups`` grant.

    Both sources count: OIDC_GROUP_ROLES / OIDC_GROUP_TEAMS from the settings and the
    group mappings staff keep in the admin. Unknown groups grant nothing; a role name
    in the settings that is no role is ignored rather than trusted.
    """
    groups = set(groups)
    roles = {
        role
        for group, names in settings.OIDC_GROUP_ROLES.items()
        if group in groups
        for role in names
    }
    teams = {
        slug
        for group, slugs in settings.OIDC_GROUP_TEAMS.items()
        if group in groups
        for slug in slugs
    }
    for role, team in GroupMapping.objects.filter(group__in=groups).values_list(
        "role", "team__slug"
    ):
        if role:
            roles.add(role)
        if team:
            teams.add(team)
    return frozenset(roles & set(Role.values)), frozenset(teams)
