"""Personal access tokens: create (the secret shown once), revoke, and check one.

A token reads ``wk_<prefix>_<secret>``: the prefix finds the row, the secret's digest
is compared in constant time. What a token may do is the intersection of the roles it
was given and the roles its owner holds when it is used, so that taking a role (or the
whole account) away from a person takes it from their tokens at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from willkommen.accounts.models import AccessToken
from willkommen.accounts.roles import Role, roles_of
from willkommen.core import clock

SCHEME = "wk"


class TokenError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    secret: str  # the whole token as the integration sends it; never stored


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(user, *, name: str, roles: list[str], days: int) -> NewToken:
    """A token for ``user`` with some of their roles, valid for ``days``."""
    name = name.strip()
    if not name:
        raise TokenError(_("Please give the token a name."))
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise TokenError(
            _("A token is valid for 1 to %(days)d days.") % {"days": settings.API_TOKEN_MAX_DAYS}
        )
    chosen = set(roles)
    if not chosen or chosen - set(Role.values):
        raise TokenError(_("Please choose at least one role."))
    if chosen - roles_of(user):
        raise TokenError(_("A token can only have roles you hold yourself."))
    prefix = secrets.token_hex(6)
    secret = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    now = clock.now()
    token = AccessToken.objects.create(
        user=user,
        name=name[:100],
        prefix=prefix,
        digest=_digest(secret),
        roles=sorted(chosen),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def revoke(token: AccessToken, *, actor) -> bool:
    """Revoke ``token`` (its owner or an administrator); False if it already was."""
    revoked = AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=clock.now(), revoked_by=actor
    )
    token.refresh_from_db()
    return bool(revoked)


def authenticate(secret: str):
    """The owner of a valid token, acting with the token's roles; None otherwise."""
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != SCHEME:
        return None
    token = (
        AccessToken.objects.select_related("user")
        .filter(prefix=parts[1], revoked_at__isnull=True, expires_at__gt=clock.now())
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    user = token.user
    if not user.is_active:
        return None
    acting = roles_of(user) & set(token.roles)
    if not acting:
        return None
    # The roles this request acts with (accounts.roles.roles_of reads them).
    user._willkommen_roles = frozenset(acting)
    user.access_token = token
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user
