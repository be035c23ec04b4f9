"""Staff roles: the one mechanism every staff view and API endpoint uses.

A role is a Django group with a fixed name (created by a migration), so admins
assign roles in the admin like any group. Superusers hold every role.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTION = "reception", _("Reception")
    CLERK = "clerk", _("Clerk")
    TEAM_LEAD = "team_lead", _("Team lead")
    CONTROLLER = "controller", _("Controller")
    ADMIN = "admin", _("Administrator")


def roles_of(user) -> frozenset[str]:
    """The role names of ``user``, read once per request object.

    An API call with an access token acts with the token's roles only (set on the
    user object by ``accounts.tokens.authenticate``), a superuser's too.
    """
    if not user or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_willkommen_roles", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        return frozenset(Role.values)
    names = user.groups.filter(name__in=Role.values).values_list("name", flat=True)
    user._willkommen_roles = frozenset(names)
    return user._willkommen_roles


def has_role(user, *roles: str) -> bool:
    """True when ``user`` holds at least one of ``roles``."""
    return bool(roles_of(user) & set(roles))
