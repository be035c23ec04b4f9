import json
import uuid

import pytest
from jwcrypto import jwk

from tests.cases.factories import make_case_type
from tests.intake.fitconnect_double import FitConnectDouble
from willkommen.intake.models import Destination, ServiceMapping
from willkommen.intake.submission_api import forget_tokens

SERVICE_IDENTIFIER = "urn:de:fim:leika:leistung:99010003001006"


def rsa_key(kid: str, use: str) -> jwk.JWK:
    key = jwk.JWK.generate(kty="RSA", size=4096, kid=kid, use=use)
    return key


@pytest.fixture(scope="session")
def key_material():
    """RSA 4096 as FIT-Connect asks: the destination's decryption and signing keys, and
    the delivery service's own signing key."""
    return {
        "decryption": rsa_key("enc-2026-01", "enc"),
        "signing": rsa_key("sig-2026-01", "sig"),
        "service": rsa_key("service-sig", "sig"),
    }


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def double(key_material):
    double = FitConnectDouble(
        client_id="willkommen-test", client_secret="s3cret", service_key=key_material["service"]
    )
    double.subscriber_keys["sig-2026-01"] = jwk.JWK(
        **key_material["signing"].export_public(as_dict=True)
    )
    double.start()
    forget_tokens()
    yield double
    double.stop()


@pytest.fixture
def destination(db, double, key_material, tmp_path, settings):
    destination = Destination.objects.create(
        name="Test",
        destination_id=uuid.uuid4(),
        api_base_url=double.url,
        token_url=double.url + "/token",
        client_id="willkommen-test",
    )
    settings.FITCONNECT_KEYS_DIR = tmp_path / "keys"
    folder = settings.FITCONNECT_KEYS_DIR / str(destination.destination_id)
    folder.mkdir(parents=True)
    (folder / "client_secret").write_text("s3cret")
    (folder / "callback_secret").write_text("callback-s3cret")
    for name in ("decryption", "signing"):
        (folder / f"{name}.jwks.json").write_text(
            json.dumps({"keys": [key_material[name].export_private(as_dict=True)]})
        )
    return destination


@pytest.fixture
def case_type(db):
    case_type = make_case_type(items=2)
    ServiceMapping.objects.create(identifier=SERVICE_IDENTIFIER, service=case_type.service)
    return case_type


@pytest.fixture
def submit(double, destination, key_material):
    public = jwk.JWK(**key_material["decryption"].export_public(as_dict=True))

    def submit(**kwargs):
        kwargs.setdefault("service_identifier", SERVICE_IDENTIFIER)
        kwargs.setdefault(
            "data",
            {
                "applicant": {
                    "given_name": "Amina",
                    "family_name": "Haddad",
                    "nationality": "syrisch",
                    "date_of_birth": "1990-04-01",
                },
                "email": "amina@example.org",
                "language": "en",
            },
        )
        return double.submit(
            destination_id=str(destination.destination_id),
            encryption_key=public,
            kid="enc-2026-01",
            **kwargs,
        )

    return submit
