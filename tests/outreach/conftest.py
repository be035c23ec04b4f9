from datetime import timedelta

import pytest

from tests.cases.factories import pdf_bytes


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def demo(demo_catalog):
    from willkommen.cases.casetypes import load_case_types_file

    load_case_types_file()


@pytest.fixture
def make_record(demo):
    """A case that carries a permit's expiry ``days`` from today (a past permit's file)."""
    from willkommen.cases import services
    from willkommen.catalog.models import Service
    from willkommen.core import clock

    def make(days=80, email="amina@example.org", language="de", **applicant):
        person = {
            "given_name": "Amina",
            "family_name": "Haddad",
            "nationality": "syrisch",
            **applicant,
        }
        opened = services.open_case(
            service=Service.objects.get(slug="aufenthaltserlaubnis-studium"),
            applicant=person,
            permit_expires_on=clock.office_today() + timedelta(days=days),
            permit_type="§ 16b AufenthG",
            contact_email=email,
            language=language,
            send_confirmation=False,
        )
        return opened.case

    return make


def extension_data(service, **overrides):
    """A complete, valid extension form with a real PDF for every required document."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "given_name": "Amina",
        "family_name": "Haddad",
        "date_of_birth": "1995-04-02",
        "nationality": "syrisch",
        "email": "amina@example.org",
        "address_change": "Schloßplatz 1, 91054 Erlangen",
        "employment_change": "",
        "consent": "on",
    }
    for item in service.checklist.all():
        if item.required and item.condition_id is None:
            data[f"document_{item.pk}"] = SimpleUploadedFile("nachweis.pdf", pdf_bytes())
    data.update(overrides)
    return data
