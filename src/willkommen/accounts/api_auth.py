"""How the JSON API knows a member of staff: their login session (with CSRF, for the
pages' own scripts) or a personal access token (``Authorization: Bearer wk_…``, for
integrations). Both require one of the endpoint's roles."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from ninja.security import HttpBearer, SessionAuth

from willkommen.accounts import tokens
from willkommen.accounts.roles import has_role
from willkommen.core import ratelimit


class StaffSession(SessionAuth):
    def __init__(self, *roles: str):
        super().__init__()
        self.roles = roles

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user and has_role(user, *self.roles) else None


class StaffToken(HttpBearer):
    openapi_description = "A personal access token (staff start page → access tokens)."

    def __init__(self, *roles: str):
        super().__init__()
        self.roles = roles

    def authenticate(self, request, token):
        user = tokens.authenticate(token)
        if user is None:
            # Wrong guesses are counted per address: 256-bit secrets are not guessed,
            # but a flood of them is refused before it costs the database more.
            ratelimit.enforce(
                "api-token-refused",
                ratelimit.client_ip(request),
                limit=settings.API_TOKEN_REFUSALS_PER_HOUR,
                period=timedelta(hours=1),
            )
            return None
        if not has_role(user, *self.roles):
            return None
        ratelimit.enforce(
            "api-token",
            user.access_token.prefix,
            limit=settings.API_TOKEN_REQUESTS_PER_MINUTE,
            period=timedelta(minutes=1),
        )
        return user


def staff_auth(*roles: str) -> list:
    """The ``auth=`` of a staff endpoint: session or token, with one of ``roles``."""
    return [StaffSession(*roles), StaffToken(*roles)]
