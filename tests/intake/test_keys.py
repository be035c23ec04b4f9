"""Key files per destination, rotation by kid, the demo destination."""

import json
import stat
import uuid

import pytest
from jwcrypto import jwk

from tests.intake.fitconnect_double import encrypt
from willkommen.intake import crypto, destinations, keys
from willkommen.intake.keys import KeysMissing
from willkommen.intake.models import Destination, ServiceMapping
from willkommen.intake.problems import Refusal


@pytest.fixture
def bare_destination(db, tmp_path, settings):
    settings.FITCONNECT_KEYS_DIR = tmp_path / "keys"
    settings.FITCONNECT_DECRYPTION_KEYS = settings.FITCONNECT_SIGNING_KEYS = ""
    return destinations.configure_destination(
        destination_id=uuid.uuid4(),
        name="Rotation",
        api_base_url="https://api.example.org",
        token_url="https://auth.example.org/token",
        client_id="c",
        is_active=True,
    )


def test_rotation_keeps_old_decryption_keys_and_signs_with_the_new(bare_destination):
    first = destinations.new_keys(bare_destination, size=2048)
    old_public = jwk.JWK(**first["decryption"])
    sealed = encrypt(b"before the rotation", old_public, first["decryption"]["kid"])

    second = destinations.new_keys(bare_destination, rotate=True, size=2048)
    loaded = keys.for_destination(bare_destination)
    assert crypto.decrypt(sealed, loaded, "data") == b"before the rotation"
    assert loaded.signing["kid"] == second["signing"]["kid"] != first["signing"]["kid"]
    folder = destinations.key_folder(bare_destination)
    assert stat.S_IMODE((folder / "decryption.jwks.json").stat().st_mode) == 0o600
    assert len(json.loads((folder / "signing.jwks.json").read_text())["keys"]) == 2

    destinations.new_keys(bare_destination, size=2048)  # without rotate: the old key is gone
    with pytest.raises(Refusal) as refused:
        crypto.decrypt(sealed, keys.for_destination(bare_destination), "data")
    assert refused.value.problem.name == "encryption-issue"


def test_a_destination_without_keys_is_refused_clearly(bare_destination):
    with pytest.raises(KeysMissing, match="no decryption keys"):
        keys.for_destination(bare_destination)


def test_nothing_secret_is_in_the_database(bare_destination):
    destinations.new_keys(bare_destination, size=2048)
    row = Destination.objects.filter(pk=bare_destination.pk).values().get()
    folder = destinations.key_folder(bare_destination)
    secret = (folder / "client_secret").read_text()
    assert secret not in json.dumps(row, default=str)


def test_demo_destination_is_idempotent(db, demo_catalog, tmp_path, settings):
    from willkommen.demo import intake

    settings.FITCONNECT_KEYS_DIR = tmp_path / "keys"
    assert "keys generated" in intake.load()
    assert "keys kept" in intake.load()
    assert Destination.objects.get().is_active is False
    assert ServiceMapping.objects.get().service.slug == "aufenthaltserlaubnis-verlaengern"
