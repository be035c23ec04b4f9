"""Setting up a destination: its row, its service mapping, and its key files.

``new_keys`` writes a fresh RSA 4096 key into the destination's key files; with
``rotate`` the new key goes first and the old ones stay (decryption picks by
``kid``, so submissions encrypted to an old key still open; signing uses the first
key). The files are created readable by their owner only.
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from jwcrypto import jwk

from willkommen.intake.models import Destination, ServiceMapping

KEY_FILES = {"decryption": "decryption.jwks.json", "signing": "signing.jwks.json"}


@transaction.atomic
def configure_destination(*, destination_id, name, api_base_url, token_url, client_id, is_active):
    destination, _ = Destination.objects.update_or_create(
        destination_id=destination_id,
        defaults={
            "name": name,
            "api_base_url": api_base_url,
            "token_url": token_url,
            "client_id": client_id,
            "is_active": is_active,
        },
    )
    return destination


@transaction.atomic
def map_service(identifier: str, service) -> ServiceMapping:
    mapping, _ = ServiceMapping.objects.update_or_create(
        identifier=identifier, defaults={"service": service}
    )
    return mapping


def key_folder(destination) -> Path:
    return Path(settings.FITCONNECT_KEYS_DIR) / str(destination.destination_id)


def _write_private(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)


def new_keys(destination, *, rotate: bool = False, size: int = 4096) -> dict:
    """A new decryption and signing key (and secrets where none exist); the public JWKs."""
    folder = key_folder(destination)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = date.today().isoformat()
    published = {}
    for use, filename in KEY_FILES.items():
        path = folder / filename
        kept = json.loads(path.read_text())["keys"] if rotate and path.exists() else []
        kid = f"{use[:3]}-{stamp}-{secrets.token_hex(4)}"
        key = jwk.JWK.generate(
            kty="RSA",
            size=size,
            kid=kid,
            use="enc" if use == "decryption" else "sig",
            alg="RSA-OAEP-256" if use == "decryption" else "PS512",
            key_ops=["unwrapKey"] if use == "decryption" else ["sign"],
        )
        _write_private(path, json.dumps({"keys": [key.export_private(as_dict=True), *kept]}))
        public = key.export_public(as_dict=True)
        # FIT-Connect registers the encryption key for wrapping, the signing one for verifying.
        public["key_ops"] = ["wrapKey"] if use == "decryption" else ["verify"]
        published[use] = public
    for name in ("client_secret", "callback_secret"):
        if not (folder / name).exists():
            _write_private(folder / name, secrets.token_urlsafe(32))
    return published
