"""A destination's secrets: read from files or the environment (settings), never from the DB.

Per destination, ``FITCONNECT_KEYS_DIR/<destination id>/`` may hold

- ``client_secret``         the OAuth client secret,
- ``callback_secret``       the secret the callback's HMAC is keyed with,
- ``decryption.jwks.json``  the private RSA keys (JWK set) the submissions are encrypted to,
- ``signing.jwks.json``     the private PS512 keys (JWK set) our events are signed with.

A file missing there falls back to the setting of the same name (one destination
offices put them in the environment). Rotation by ``kid``: a decryption key is
picked by the JWE header's ``kid``, so old and new keys stay in the set while
submissions encrypted to the old one may still arrive; events are signed with the
*first* key of the signing set, so a new key goes first once FIT-Connect knows it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from jwcrypto import jwk


class KeysMissing(RuntimeError):
    """The destination cannot work: a secret is not configured."""


@dataclass(frozen=True)
class DestinationKeys:
    client_secret: str
    callback_secret: str
    decryption: jwk.JWKSet
    signing: jwk.JWK

    def decryption_key(self, kid: str | None) -> jwk.JWK | None:
        return self.decryption.get_key(kid) if kid else None


def _read(destination, filename: str, fallback: str) -> str:
    path = Path(settings.FITCONNECT_KEYS_DIR) / str(destination.destination_id) / filename
    if path.is_file():
        return path.read_text().strip()
    return fallback


def _key_list(text: str, what: str) -> list[jwk.JWK]:
    """The keys of a JWK set in the file's order (jwcrypto's JWKSet keeps no order)."""
    if not text:
        raise KeysMissing(f"no {what} keys configured")
    try:
        keys = [jwk.JWK(**entry) for entry in json.loads(text)["keys"]]
    except (ValueError, KeyError, TypeError) as error:
        raise KeysMissing(f"the {what} key set is not a JWK set: {error}") from error
    if not keys:
        raise KeysMissing(f"the {what} key set is empty")
    for key in keys:
        if not key.has_private or key.get("kty") != "RSA" or not key.get("kid"):
            raise KeysMissing(f"every {what} key must be a private RSA key with a kid")
    return keys


def for_destination(destination) -> DestinationKeys:
    decryption = jwk.JWKSet()
    for key in _key_list(
        _read(destination, "decryption.jwks.json", settings.FITCONNECT_DECRYPTION_KEYS),
        "decryption",
    ):
        decryption.add(key)
    signing = _key_list(
        _read(destination, "signing.jwks.json", settings.FITCONNECT_SIGNING_KEYS), "signing"
    )
    return DestinationKeys(
        client_secret=_read(destination, "client_secret", settings.FITCONNECT_CLIENT_SECRET),
        callback_secret=_read(destination, "callback_secret", settings.FITCONNECT_CALLBACK_SECRET),
        decryption=decryption,
        signing=signing[0],
    )


def public_keys(keys: DestinationKeys) -> dict:
    """The public halves (to register with FIT-Connect), as a JWK set."""
    return {
        "keys": [
            *(k.export_public(as_dict=True) for k in keys.decryption["keys"]),
            keys.signing.export_public(as_dict=True),
        ]
    }
