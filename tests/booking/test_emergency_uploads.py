"""The emergency request's document goes through the same checks as case documents."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cases.factories import pdf_bytes, png_pixel_bomb
from tests.conftest import EICAR
from tests.core import hostile_files as hostile
from willkommen.booking.models import EmergencyRequest


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def form_data(office, attachment=None, **changes):
    data = {
        "reason": "expires_soon", "permit_expires_on": "2027-03-20", "service": office.service.pk,
        "location": office.location.pk, "persons": 1, "name": "Urgent One",
        "email": "urgent@example.org", "consent": "on",
    }  # fmt: skip
    if attachment is not None:
        data["attachment"] = attachment
    data.update(changes)
    return data


def stored(media_root):
    return [p for p in Path(media_root).rglob("*") if p.is_file() and "held" not in p.parts]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("permit.pdf", hostile.PDF_WITH_JAVASCRIPT, "Skripte, Aktionen oder eingebettete Dateien"),
        ("permit.pdf", hostile.PDF_WITH_HEX_ESCAPED_JAVASCRIPT, "Skripte"),
        ("permit.pdf", b"MZ\x90\x00" + b"\x00" * 60, "Nur diese Dateitypen"),
        ("permit.pdf", png_pixel_bomb(), "ihr Name endet aber auf „.pdf“"),
        ("permit.png", png_pixel_bomb(), "zu viele Pixel"),
        ("permit.pdf", hostile.pdf_nested_flate_bomb(), "entpackt sich zu weit mehr Daten"),
    ],
)
def test_hostile_documents_are_refused_with_the_forms_message(
    client, office, media_root, name, content, message
):
    response = client.post(
        "/de/appointments/emergency/", form_data(office, SimpleUploadedFile(name, content))
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EmergencyRequest.objects.exists() and stored(media_root) == []


def test_an_infected_document_is_refused_by_clamd(client, office, media_root, settings, clamd):
    settings.CLAMD_SOCKET = clamd.socket
    attachment = SimpleUploadedFile("permit.pdf", hostile.pdf_with(EICAR))
    response = client.post("/de/appointments/emergency/", form_data(office, attachment))
    assert response.status_code == 400
    assert "Schadsoftware" in response.content.decode()
    assert not EmergencyRequest.objects.exists() and stored(media_root) == []
    good = pdf_bytes()
    clean = SimpleUploadedFile("permit.pdf", good)
    assert client.post("/de/appointments/emergency/", form_data(office, clean)).status_code == 200
    request = EmergencyRequest.objects.get()
    assert request.attachment.name.endswith(".pdf")
    assert request.attachment.read() == good


def test_the_stored_name_has_the_sniffed_ending(client, office):
    attachment = SimpleUploadedFile("Mein Pass.PDF", pdf_bytes())
    assert (
        client.post("/de/appointments/emergency/", form_data(office, attachment)).status_code == 200
    )
    name = EmergencyRequest.objects.get().attachment.name
    assert name.startswith("booking/emergency/") and name.endswith(".pdf") and "Pass" not in name


def test_the_document_is_kept_when_another_field_is_refused(client, office, media_root):
    good = pdf_bytes()
    attachment = SimpleUploadedFile("permit.pdf", good)
    first = client.post("/de/appointments/emergency/", form_data(office, attachment, consent=""))
    assert first.status_code == 400
    page = first.content.decode()
    assert "Erhalten und geprüft: permit.pdf" in page
    token = re.search(r'name="attachment-held" value="([^"]+)"', page).group(1)
    second = client.post(
        "/de/appointments/emergency/", form_data(office, **{"attachment-held": token})
    )
    assert second.status_code == 200
    assert EmergencyRequest.objects.get().attachment.read() == good
    assert not list((Path(media_root) / "held").iterdir())


def test_a_too_large_document_gets_the_forms_message(client, office, settings):
    settings.UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    attachment = SimpleUploadedFile("permit.pdf", b"%PDF-" + b"x" * (3 * 1024 * 1024))
    response = client.post("/de/appointments/emergency/", form_data(office, attachment))
    assert response.status_code == 400
    assert "Die Datei ist größer als 2 MB." in response.content.decode()
    assert not EmergencyRequest.objects.exists()
