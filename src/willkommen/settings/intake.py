"""FIT-Connect intake (intake/): where the secrets are, the deadlines, imported by
settings/__init__.py. Each is documented in docs/configuration.md and docs/intake.md.

The non-secret parts of a destination (its id, the API and token URLs, the client
id) are rows in the admin. The secrets never enter the database: they are files in
``FITCONNECT_KEYS_DIR/<destination id>/`` (see docs/intake.md), or, for an office
with one destination, environment variables.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from willkommen.env import env_bool
from willkommen.settings.base import DEBUG, TESTING, VAR_DIR

# One directory per destination id with client_secret, callback_secret,
# decryption.jwks.json (private RSA keys, JWK set) and signing.jwks.json (PS512).
FITCONNECT_KEYS_DIR = Path(os.environ.get("FITCONNECT_KEYS_DIR", VAR_DIR / "fitconnect"))
# Fallbacks for every destination when its directory lacks the file. The key sets
# are JSON (a JWK set); each may instead be named as a file by <NAME>_FILE.


def _secret(name: str) -> str:
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {error}") from error
    return os.environ.get(name, "")


FITCONNECT_CLIENT_SECRET = _secret("FITCONNECT_CLIENT_SECRET")
FITCONNECT_CALLBACK_SECRET = _secret("FITCONNECT_CALLBACK_SECRET")
FITCONNECT_DECRYPTION_KEYS = _secret("FITCONNECT_DECRYPTION_KEYS")
FITCONNECT_SIGNING_KEYS = _secret("FITCONNECT_SIGNING_KEYS")
# A callback whose timestamp is older than this is refused (replays).
FITCONNECT_CALLBACK_MAX_AGE_SECONDS = int(
    os.environ.get("FITCONNECT_CALLBACK_MAX_AGE_SECONDS", 300)
)
# Submissions not taken after this many days show a warning on the staff start page
# (FIT-Connect rejects them itself after 14).
FITCONNECT_WARN_AFTER_DAYS = int(os.environ.get("FITCONNECT_WARN_AFTER_DAYS", 3))
# Seconds for each call to the Submission API or the token endpoint.
FITCONNECT_HTTP_TIMEOUT = float(os.environ.get("FITCONNECT_HTTP_TIMEOUT", 20))
# Submissions per page of the list (FIT-Connect allows at most 500).
FITCONNECT_PAGE_SIZE = int(os.environ.get("FITCONNECT_PAGE_SIZE", 100))
if not 1 <= FITCONNECT_PAGE_SIZE <= 500:
    raise ImproperlyConfigured("FITCONNECT_PAGE_SIZE must be between 1 and 500.")
# Refuse plain-HTTP API, token and callback URLs (production); the demo and tests use loopback.
FITCONNECT_REQUIRE_HTTPS = env_bool("FITCONNECT_REQUIRE_HTTPS", not DEBUG and not TESTING)
