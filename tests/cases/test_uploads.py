"""Uploads with real malformed files: nothing refused is stored, nothing stored is unsafe."""

import hashlib
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cases import test_public
from tests.cases.factories import (
    jpeg_bytes,
    make_case_type,
    open_case,
    pdf_bytes,
    png_bytes,
    png_pixel_bomb,
)
from tests.conftest import EICAR
from tests.core import hostile_files as hostile
from willkommen.cases import services
from willkommen.cases.models import Case, Document
from willkommen.cases.uploads import UploadRefused, check_upload, clean_display_name

pytestmark = pytest.mark.django_db
demo = test_public.demo  # the demo catalogue's forms, a fixture
skilled_worker_data = test_public.skilled_worker_data

# The start of a real Windows executable ("MZ" header and DOS stub).
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + (b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 200)
)


def upload(case, name, content, requirement_id=None):
    return services.upload_document(
        case, SimpleUploadedFile(name, content), requirement_id=requirement_id, actor=None
    )


@pytest.fixture
def case():
    return open_case(make_case_type()).case


def stored_files(media_root):
    return [p for p in Path(media_root).rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rechnung.pdf", EXE, "Only these file types"),
        ("foto.png", b"GIF89a" + b"\x00" * 100, "Only these file types"),
        ("antrag.pdf", hostile.PDF_WITH_JAVASCRIPT, "scripts"),
        ("antrag.pdf", hostile.PDF_WITH_HEX_ESCAPED_JAVASCRIPT, "scripts"),
        ("bild.pdf", png_bytes(), "name ends in"),
        ("leer.pdf", b"", "empty"),
        ("kaputt.pdf", pdf_bytes()[:400], "incomplete or damaged"),
        ("kaputt.png", png_bytes()[:60], "incomplete or damaged"),
        ("kaputt.jpg", jpeg_bytes()[:200], "incomplete or damaged"),
        ("bombe.png", png_pixel_bomb(), "too many pixels"),
        ("garbage.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100 + b"\n%%EOF\n", "damaged"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(case, media_root, name, content, message):
    with pytest.raises(UploadRefused, match=message):
        upload(case, name, content)
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_oversize_file_is_refused_before_it_is_parsed(case, settings, media_root):
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(UploadRefused, match="larger than"):
        upload(case, "gross.pdf", pdf_bytes() + b"\x00" * 2000)
    assert stored_files(media_root) == []


def test_page_bomb_is_refused(case, settings):
    settings.UPLOAD_MAX_PAGES = 3
    with pytest.raises(UploadRefused, match="4 pages"):
        upload(case, "viele.pdf", pdf_bytes(pages=4))


def test_pixel_limit_is_a_setting(case, settings):
    settings.UPLOAD_MAX_PIXELS = 100
    with pytest.raises(UploadRefused, match="too many pixels"):
        upload(case, "foto.png", png_bytes(20, 10))


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.pdf", "..\\..\\windows\\system32\\x.pdf", "/tmp/abs.pdf", "a\x00b.pdf"],
)  # fmt: skip
def test_path_tricks_in_names_never_reach_the_disk(case, media_root, name):
    document = upload(case, name, pdf_bytes())
    path = Path(media_root) / document.stored_name
    assert path.is_file()
    assert path.resolve().is_relative_to(Path(media_root).resolve())
    assert path.name.endswith(".pdf") and ".." not in document.stored_name
    assert name.rsplit("/", 1)[-1] not in document.stored_name
    assert "/" not in document.original_name and "\\" not in document.original_name
    assert "\x00" not in document.original_name
    assert document.original_name.endswith(".pdf")  # the real type, not the claimed one


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("a.pdf", pdf_bytes(), "pdf"), ("b.png", png_bytes(), "png"), ("c.jpg", jpeg_bytes(), "jpeg")],
)
def test_good_files_are_stored_with_hash_and_type(case, media_root, name, content, kind):
    requirement = case.requirements.first()
    document = upload(case, name, content, requirement.pk)
    assert document.kind == kind
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.scan_result == "not_configured"
    assert (Path(media_root) / document.stored_name).read_bytes() == content


def test_a_second_upload_for_the_same_item_is_a_new_version(case):
    requirement = case.requirements.first()
    first = upload(case, "pass.pdf", pdf_bytes(), requirement.pk)
    second = upload(case, "pass-neu.pdf", pdf_bytes(pages=2), requirement.pk)
    assert (first.version, second.version) == (1, 2)
    assert second.supersedes == first
    assert Document.objects.filter(case=case).count() == 2  # the old version is kept


def test_upload_for_an_item_of_another_case_is_refused(case):
    other = open_case(make_case_type()).case
    with pytest.raises(services.CaseError, match="checklist"):
        upload(case, "x.pdf", pdf_bytes(), other.requirements.first().pk)


def test_an_infected_file_is_refused_by_clamd_and_nothing_is_stored(
    case, settings, media_root, clamd
):
    settings.CLAMD_SOCKET = clamd.socket
    with pytest.raises(UploadRefused, match="malware"):
        upload(case, "rechnung.pdf", hostile.pdf_with(EICAR))
    assert stored_files(media_root) == [] and not Document.objects.exists()
    assert upload(case, "rechnung.pdf", pdf_bytes()).scan_result == "clean"


def test_an_unreachable_scanner_stores_nothing(case, settings, media_root, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "gone.sock")
    with pytest.raises(UploadRefused, match="could not be checked"):
        upload(case, "a.pdf", pdf_bytes())
    assert stored_files(media_root) == [] and not Document.objects.exists()


def test_display_names_are_cleaned():
    assert clean_display_name("C:\\Users\\me\\Pass.PDF", "pdf") == "Pass.pdf"
    assert clean_display_name("../../", "png") == "dokument.png"
    assert clean_display_name("foto.jpeg.exe", "jpeg") == "foto.jpeg.jpg"
    assert len(clean_display_name("a" * 500 + ".pdf", "pdf")) <= 124


def test_the_content_decides_and_the_name_must_agree():
    with pytest.raises(UploadRefused, match="is a PNG file"):
        check_upload(SimpleUploadedFile("bild.pdf", png_bytes()))
    assert check_upload(SimpleUploadedFile("bild.PNG", png_bytes())).display_name == "bild.png"


def test_a_too_large_upload_gets_the_forms_message_in_the_pages_language(client, case, settings):
    from django.urls import reverse
    from django.utils import translation

    from tests.cases.factories import staff

    settings.UPLOAD_MAX_BYTES = 10_000
    client.force_login(staff(case.team))
    body = b"x" * (2 * 1024 * 1024)
    with translation.override("de"):
        url = reverse("cases:upload", args=[case.reference])
    response = client.post(url, {"file": SimpleUploadedFile("big.pdf", body)})
    assert response.status_code == 400
    assert "Die Datei ist größer als 0 MB." in response.content.decode()  # the form, in German
    assert "400.html" not in [t.name for t in response.templates]
    assert not Document.objects.exists()


def test_the_size_limit_stops_keeping_a_file_while_it_is_read(rf, settings):
    """The upload handler spools at most the limit; the form sees an oversized stand-in."""
    from django.core.files.uploadhandler import load_handler

    from willkommen.core.uploads.limits import OversizedUpload

    settings.UPLOAD_MAX_BYTES = 1000
    request = rf.post("/", {"file": SimpleUploadedFile("big.pdf", b"x" * 50_000), "a": "b"})
    request.upload_handlers = [
        load_handler(path, request) for path in settings.FILE_UPLOAD_HANDLERS
    ]
    uploaded = request.FILES["file"]
    assert isinstance(uploaded, OversizedUpload) and uploaded.size == 50_000
    assert uploaded.read() == b"" and request.POST["a"] == "b"
    with pytest.raises(UploadRefused, match="larger than"):
        check_upload(uploaded)


# --- one refused file does not clear the others (multi-file forms) ---------------


def test_a_refused_file_keeps_the_accepted_ones_of_the_form(client, demo, media_root):
    from willkommen.catalog.models import Service

    service = Service.objects.get(slug="beschleunigtes-fachkraefteverfahren")
    items = list(service.checklist.filter(required=True, condition__isnull=True))
    assert len(items) >= 2
    bad, good = items[0], items[1]
    data = skilled_worker_data(service)
    data[f"document_{bad.pk}"] = SimpleUploadedFile("antrag.pdf", hostile.PDF_WITH_LAUNCH)
    first = client.post("/de/apply/skilled-worker/", data)
    page = first.content.decode()
    assert first.status_code == 400
    assert "Skripte, Aktionen oder eingebettete Dateien" in page  # why, at the refused field
    assert "Erhalten und geprüft: nachweis.pdf" in page  # the others are kept and shown
    tokens = dict(re.findall(r'name="(document_\d+-held)" value="([^"]+)"', page))
    assert f"document_{good.pk}-held" in tokens and f"document_{bad.pk}-held" not in tokens
    assert not Case.objects.exists()

    # The second submission sends only the replaced file; the held ones come along.
    again = {k: v for k, v in skilled_worker_data(service).items() if not k.startswith("document_")}
    again.update(tokens)
    again[f"document_{bad.pk}"] = SimpleUploadedFile("antrag.pdf", pdf_bytes())
    second = client.post("/de/apply/skilled-worker/", again)
    assert second.status_code == 302, second.content.decode()[:2000]
    case = Case.objects.get(source="form-81a")
    assert case.documents.count() == len(items)
    assert not list((media_root / "held").iterdir())  # the held copies are gone


def test_a_forged_held_token_is_refused(client, demo):
    from willkommen.catalog.models import Service

    service = Service.objects.get(slug="beschleunigtes-fachkraefteverfahren")
    item = service.checklist.filter(required=True, condition__isnull=True).first()
    data = skilled_worker_data(service)
    del data[f"document_{item.pk}"]
    data[f"document_{item.pk}-held"] = "eyJuIjoiLi4vLi4vZXRjL3Bhc3N3ZCJ9:forged"
    response = client.post("/de/apply/skilled-worker/", data)
    assert response.status_code == 400
    assert "nicht mehr verfügbar" in response.content.decode()
    assert not Case.objects.exists()


# --- every path refuses hostile files: applicant status page, staff upload -----------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (hostile.PDF_WITH_HEX_ESCAPED_JAVASCRIPT, "Skripte, Aktionen oder eingebettete Dateien"),
        (hostile.PDF_WITH_EMBEDDED_FILE, "Skripte, Aktionen oder eingebettete Dateien"),
        (hostile.jpeg_claiming(), "ihr Name endet aber auf „.pdf“"),
        (hostile.zip_bomb_named_pdf(), "Nur diese Dateitypen"),
    ],
)
def test_the_status_page_refuses_hostile_files(client, media_root, content, message):
    opened = open_case(make_case_type())
    test_public.unlock(client, opened)
    response = client.post(
        f"/de/status/{opened.case.reference}/",
        {"requirement": "", "file": SimpleUploadedFile("pass.pdf", content)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.exists() and stored_files(media_root) == []


def test_the_staff_upload_refuses_an_infected_file(client, case, settings, media_root, clamd):
    from django.urls import reverse
    from django.utils import translation

    from tests.cases.factories import staff

    settings.CLAMD_SOCKET = clamd.socket
    client.force_login(staff(case.team))
    with translation.override("de"):
        url = reverse("cases:upload", args=[case.reference])
    infected = SimpleUploadedFile("befund.pdf", hostile.pdf_with(EICAR))
    response = client.post(url, {"file": infected})
    assert response.status_code == 400
    assert "Schadsoftware" in response.content.decode()
    assert not Document.objects.exists() and stored_files(media_root) == []


def test_a_file_longer_than_clamds_stream_limit_is_refused(case, settings, clamd, caplog):
    """The test clamd takes 20 MB per stream; a larger (valid) file cannot be scanned."""
    settings.CLAMD_SOCKET = clamd.socket
    settings.UPLOAD_MAX_BYTES = 40 * 1024 * 1024
    big = hostile.pdf_with(b"%" + b"x" * (21 * 1024 * 1024))
    with pytest.raises(UploadRefused, match="could not be checked"):
        upload(case, "gross.pdf", big)
    assert "StreamMaxLength" in caplog.text
    assert not Document.objects.exists()
