"""Uploads with real malformed files: nothing refused is stored, nothing stored is unsafe."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cases.factories import (
    jpeg_bytes,
    make_case_type,
    open_case,
    pdf_bytes,
    png_bytes,
    png_pixel_bomb,
)
from willkommen.cases import services
from willkommen.cases.models import Document
from willkommen.cases.uploads import UploadRefused, check_upload, clean_display_name

pytestmark = pytest.mark.django_db

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
        ("rechnung.pdf", EXE, "Only PDF, JPEG and PNG"),
        ("foto.png", b"GIF89a" + b"\x00" * 100, "Only PDF, JPEG and PNG"),
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
    settings.CASE_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(UploadRefused, match="larger than"):
        upload(case, "gross.pdf", pdf_bytes() + b"\x00" * 2000)
    assert stored_files(media_root) == []


def test_page_bomb_is_refused(case, settings):
    settings.CASE_UPLOAD_MAX_PAGES = 3
    with pytest.raises(UploadRefused, match="4 pages"):
        upload(case, "viele.pdf", pdf_bytes(pages=4))


def test_pixel_limit_is_a_setting(case, settings):
    settings.CASE_UPLOAD_MAX_PIXELS = 100
    with pytest.raises(UploadRefused, match="too many pixels"):
        upload(case, "foto.png", png_bytes(20, 10))


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.pdf", "..\\..\\windows\\system32\\x.pdf", "/tmp/abs.pdf", "a\x00b.pdf",
     "normal.exe"],
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
    ("content", "kind"), [(pdf_bytes(), "pdf"), (png_bytes(), "png"), (jpeg_bytes(), "jpeg")]
)
def test_good_files_are_stored_with_hash_and_type(case, media_root, content, kind):
    requirement = case.requirements.first()
    document = upload(case, "scan.bin", content, requirement.pk)
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


def test_virus_scan_hook_refuses_infected_files(case, settings, media_root):
    settings.CASE_VIRUS_SCAN_COMMAND = "sh -c 'cat >/dev/null; exit 1'"
    with pytest.raises(UploadRefused, match="malware"):
        upload(case, "x.pdf", pdf_bytes())
    settings.CASE_VIRUS_SCAN_COMMAND = "sh -c 'cat >/dev/null; exit 2'"
    with pytest.raises(UploadRefused, match="could not be checked"):
        upload(case, "x.pdf", pdf_bytes())
    assert stored_files(media_root) == []
    settings.CASE_VIRUS_SCAN_COMMAND = "sh -c 'cat >/dev/null; exit 0'"
    assert upload(case, "x.pdf", pdf_bytes()).scan_result == "clean"


def test_display_names_are_cleaned():
    assert clean_display_name("C:\\Users\\me\\Pass.PDF", "pdf") == "Pass.pdf"
    assert clean_display_name("../../", "png") == "dokument.png"
    assert clean_display_name("foto.jpeg.exe", "jpeg") == "foto.jpeg.jpg"
    assert len(clean_display_name("a" * 500 + ".pdf", "pdf")) <= 124


def test_check_upload_reads_by_content_not_by_name():
    checked = check_upload(SimpleUploadedFile("bild.pdf", png_bytes()))
    assert checked.kind == "png" and checked.display_name == "bild.png"
