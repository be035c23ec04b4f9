"""Staff sign-in: single sign-on over OpenID Connect and the local passwords.

Imported by settings/__init__.py; each variable is documented in docs/configuration.md
("Staff sign-in"). Single sign-on is off until the provider's endpoints and this
client's id and secret are all set. The names on the left are mozilla-django-oidc's
(it reads them from django.conf.settings); the environment's names are ours.
"""

import json
import os

from django.core.exceptions import ImproperlyConfigured

from willkommen.env import env_bool


def _json_mapping(name: str) -> dict[str, list[str]]:
    """A JSON object from group name to one value or a list of them.

    JSON, not a comma list: group names from a directory are often distinguished
    names ("cn=abh,ou=groups") that hold commas and equals signs themselves.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"{name} must be a JSON object: {error}") from error
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f'{name} must be a JSON object like {{"group": "role"}}')
    mapping = {}
    for group, targets in value.items():
        targets = [targets] if isinstance(targets, str) else targets
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            raise ImproperlyConfigured(f"{name}: {group!r} must map to a name or a list of names")
        mapping[str(group)] = targets
    return mapping


OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip().rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_AUTHORIZATION_ENDPOINT", "").strip()
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_TOKEN_ENDPOINT", "").strip()
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_USERINFO_ENDPOINT", "").strip()
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_JWKS_ENDPOINT", "").strip()
# Optional: where the provider offers RP-initiated logout, logging out ends its session too.
OIDC_OP_END_SESSION_ENDPOINT = os.environ.get("OIDC_END_SESSION_ENDPOINT", "").strip()
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "").strip()
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile").strip()
# The claim (ID token or userinfo) that lists the person's directory groups.
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups").strip()
# Group → role(s) and group → team(s) (team short names); the admin adds more.
OIDC_GROUP_ROLES = _json_mapping("OIDC_GROUP_ROLES")
OIDC_GROUP_TEAMS = _json_mapping("OIDC_GROUP_TEAMS")

_required = {
    "OIDC_ISSUER": OIDC_ISSUER,
    "OIDC_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
    "OIDC_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
    "OIDC_USERINFO_ENDPOINT": OIDC_OP_USER_ENDPOINT,
    "OIDC_JWKS_ENDPOINT": OIDC_OP_JWKS_ENDPOINT,
    "OIDC_CLIENT_ID": OIDC_RP_CLIENT_ID,
    "OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
}
OIDC_ENABLED = all(_required.values())
if any(_required.values()) and not OIDC_ENABLED:
    missing = ", ".join(name for name, value in _required.items() if not value)
    raise ImproperlyConfigured(f"Single sign-on is half configured: set {missing} too.")
if OIDC_ENABLED and "openid" not in OIDC_RP_SCOPES.split():
    raise ImproperlyConfigured("OIDC_SCOPES must contain openid.")

# Fixed choices, not operator settings: the ID token is RS256-signed and checked
# against the provider's keys; every login carries a nonce and a PKCE challenge (S256).
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the provider's logout
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts_sso:callback"
OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT_SECONDS", 10))
# Seconds of clock difference to the provider tolerated in exp, iat and nbf.
OIDC_CLOCK_SKEW_SECONDS = int(os.environ.get("OIDC_CLOCK_SKEW_SECONDS", 60))
LOGIN_REDIRECT_URL_FAILURE = "accounts:login"

# Off: passwords sign in nobody but superusers (the break-glass account).
LOCAL_PASSWORD_LOGIN = env_bool("LOCAL_PASSWORD_LOGIN", True)
if not LOCAL_PASSWORD_LOGIN and not OIDC_ENABLED:
    raise ImproperlyConfigured(
        "LOCAL_PASSWORD_LOGIN=false needs single sign-on (OIDC_*) configured: "
        "otherwise only superusers could sign in."
    )
