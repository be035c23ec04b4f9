"""The demo FIT-Connect destination, written through the intake's own functions.

It points at FITKO's test environment and stays inactive (the worker would poll it
every minute): an office with test credentials puts its client id in the admin,
the secret into the key folder, and switches it on. Its keys are generated into
``var/fitconnect/`` (not committed) the first time.
"""

import uuid

from willkommen.catalog.models import Service
from willkommen.intake import destinations

DEMO_DESTINATION = uuid.UUID("9b1c3f4e-0d2a-4e6b-8f1a-2c3d4e5f6a7b")
# LeiKa: Aufenthaltserlaubnis verlängern (the OZG EfA "Aufenthaltstitel" sends this).
DEMO_SERVICES = {"urn:de:fim:leika:leistung:99010003001006": "aufenthaltserlaubnis-verlaengern"}


def load() -> str:
    destination = destinations.configure_destination(
        destination_id=DEMO_DESTINATION,
        name="Demo-Zustellpunkt (FIT-Connect Testumgebung)",
        api_base_url="https://submission-api-testing.fit-connect.fitko.dev",
        token_url="https://auth-testing.fit-connect.fitko.dev/token",  # noqa: S106 (a URL)
        client_id="demo-client-id",
        is_active=False,
    )
    for identifier, slug in DEMO_SERVICES.items():
        service = Service.objects.filter(slug=slug).first()
        if service is not None:
            destinations.map_service(identifier, service)
    folder = destinations.key_folder(destination)
    if not (folder / "decryption.jwks.json").exists():
        destinations.new_keys(destination)
        return f"{destination}: keys generated in {folder}"
    return f"{destination}: keys kept in {folder}"
