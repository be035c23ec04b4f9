"""The shared upload gate (core/uploads), each refusal tried with a hostile file of its kind."""

import logging
import time
import tracemalloc

import pytest
from django.core import checks
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cases.factories import jpeg_bytes, pdf_bytes, png_bytes, png_pixel_bomb
from tests.conftest import EICAR
from tests.core import hostile_files as hostile
from willkommen.core.uploads import UploadRefused, check_upload, held, scanner


@pytest.fixture(autouse=True)
def english(settings, tmp_path):
    from django.utils import translation

    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield


def check(name, content):
    return check_upload(SimpleUploadedFile(name, content))


# --- content, not name, decides --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bild.pdf", png_bytes(), "is a PNG file, but its name ends in “.pdf”"),
        ("scan.png", pdf_bytes(), "is a PDF file, but its name ends in “.png”"),
        ("programm.exe", pdf_bytes(), "ends in “.exe”"),
        ("ohne-endung", jpeg_bytes(), "ends in “.”"),
        ("archiv.pdf", hostile.zip_bomb_named_pdf(), "Only these file types"),
        ("animation.png", b"GIF89a" + b"\x00" * 100, "Only these file types"),
    ],
)
def test_the_type_is_sniffed_and_must_agree_with_the_name(name, content, message):
    with pytest.raises(UploadRefused, match=message):
        check(name, content)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("a.pdf", pdf_bytes(), "pdf"), ("b.JPEG", jpeg_bytes(), "jpeg"),
     ("c.jpg", jpeg_bytes(), "jpeg"), ("d.png", png_bytes(), "png")],
)  # fmt: skip
def test_good_files_pass(name, content, kind):
    checked = check(name, content)
    assert checked.kind == kind and checked.scan_result == "not_configured"


def test_the_allowed_types_are_a_setting(settings):
    settings.UPLOAD_ALLOWED_TYPES = ["pdf"]
    with pytest.raises(UploadRefused, match="accepted: PDF\\."):
        check("foto.png", png_bytes())
    assert check("a.pdf", pdf_bytes()).kind == "pdf"


# --- active content in PDFs ------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        hostile.PDF_WITH_JAVASCRIPT,
        hostile.PDF_WITH_HEX_ESCAPED_JAVASCRIPT,
        hostile.PDF_WITH_LAUNCH,
        hostile.PDF_WITH_EMBEDDED_FILE,
        hostile.PDF_WITH_SCRIPT_IN_AN_OBJECT_STREAM,
    ],
    ids=["javascript", "hex-escaped", "launch", "embedded-file", "object-stream"],
)
def test_pdfs_with_scripts_actions_or_embedded_files_are_refused(content):
    with pytest.raises(UploadRefused, match="scripts, actions or embedded files"):
        check("antrag.pdf", content)


def test_pypdf_alone_also_sees_hex_escaped_names(monkeypatch):
    """The object walk catches /J#53 as /JS even when the raw scan is not there."""
    from willkommen.core.uploads import content

    monkeypatch.setattr(content, "_active_name", lambda data: None)
    with pytest.raises(UploadRefused, match="scripts"):
        check("antrag.pdf", hostile.PDF_WITH_HEX_ESCAPED_JAVASCRIPT)


def test_a_harmless_open_action_is_accepted():
    assert check("antrag.pdf", hostile.PDF_OPENING_AT_PAGE_ONE).pages == 1


def test_names_that_turn_up_by_chance_in_binary_streams_are_no_refusal():
    """Random image bytes hold "/JS", "/XFA" ... now and then, raw and inflated alike."""
    content = hostile.pdf_with_random_image()
    from willkommen.core.uploads.content import _active_name

    assert _active_name(content)  # the naive scan of the whole file would refuse it
    assert check("scan.pdf", content).pages == 1


# --- decompression bombs: refused in bounded memory and time -----------------------


@pytest.mark.parametrize(
    ("name", "build", "message"),
    [
        ("bombe.pdf", hostile.pdf_flate_bomb, "unpacks to far more data"),
        ("verschachtelt.pdf", hostile.pdf_nested_flate_bomb, "unpacks to far more data"),
        ("bombe.png", png_pixel_bomb, "too many pixels"),
        ("bombe.jpg", hostile.jpeg_claiming, "too many pixels"),
    ],
)
def test_decompression_bombs_are_refused_in_bounded_memory(name, build, message):
    content = build()
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(UploadRefused, match=message):
            check(name, content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    # A gigabyte (PDF) or gigapixels (images) are claimed; a few chunks are ever held.
    assert peak < 16 * len(content) + 32 * 1024 * 1024, peak
    assert elapsed < 60, elapsed  # the inflation budget stops it, not the file's end


def test_the_inflation_budget_is_a_setting(settings):
    settings.UPLOAD_PDF_MAX_INFLATED_BYTES = 10
    with pytest.raises(UploadRefused, match="unpacks"):
        check("text.pdf", hostile.pdf_with_compressed(b"BT /F1 12 Tf (a long enough line) Tj ET"))


# --- the virus scanner (a real clamd) ----------------------------------------------


def test_a_virus_in_a_well_formed_pdf_is_refused_over_the_unix_socket(clamd, settings):
    settings.CLAMD_SOCKET = clamd.socket
    with pytest.raises(UploadRefused, match="malware"):
        check("rechnung.pdf", hostile.pdf_with(EICAR))
    assert check("rechnung.pdf", pdf_bytes()).scan_result == "clean"


def test_a_virus_is_refused_over_tcp(clamd, settings):
    settings.CLAMD_SOCKET, settings.CLAMD_HOST, settings.CLAMD_PORT = "", clamd.host, clamd.port
    with pytest.raises(UploadRefused, match="malware"):
        check("rechnung.pdf", hostile.pdf_with(EICAR))
    assert check("foto.png", png_bytes()).scan_result == "clean"


def test_an_unreachable_scanner_refuses_the_upload_and_logs(settings, tmp_path, caplog):
    settings.CLAMD_SOCKET = str(tmp_path / "no-such.sock")
    with (
        caplog.at_level(logging.ERROR, logger="willkommen.core.uploads.scanner"),
        pytest.raises(UploadRefused, match="could not be checked for viruses"),
    ):
        check("a.pdf", pdf_bytes())
    assert "unreachable" in caplog.text


def test_a_silent_scanner_times_out_and_refuses(settings):
    import socket

    settings.CLAMD_SOCKET, settings.CLAMD_TIMEOUT = "", 0.5
    with socket.socket() as mute:  # accepts, never answers
        mute.bind(("127.0.0.1", 0))
        mute.listen()
        settings.CLAMD_HOST, settings.CLAMD_PORT = "127.0.0.1", mute.getsockname()[1]
        with pytest.raises(UploadRefused, match="could not be checked"):
            check("a.pdf", pdf_bytes())


def test_the_message_is_in_the_pages_language(settings, tmp_path):
    from django.utils import translation

    settings.CLAMD_SOCKET = str(tmp_path / "no-such.sock")
    with translation.override("de"), pytest.raises(UploadRefused, match="Viren"):
        check("a.pdf", pdf_bytes())


def test_check_deploy_warns_without_a_scanner(settings):
    settings.CLAMD_SOCKET = settings.CLAMD_HOST = ""
    ids = [m.id for m in checks.run_checks(include_deployment_checks=True)]
    assert "uploads.W001" in ids
    settings.CLAMD_SOCKET = "/run/clamav/clamd.ctl"
    ids = [m.id for m in checks.run_checks(include_deployment_checks=True)]
    assert "uploads.W001" not in ids


def test_production_start_up_warns_loudly_without_a_scanner(settings, caplog):
    settings.CLAMD_SOCKET = settings.CLAMD_HOST = ""
    settings.DEBUG, settings.TESTING = False, False
    with caplog.at_level(logging.WARNING):
        assert scanner.warn_if_unscanned() is True
    assert "not scanned for viruses" in caplog.text
    settings.DEBUG = True
    assert scanner.warn_if_unscanned() is False


# --- held files ------------------------------------------------------------------


def test_a_held_file_comes_back_as_checked_and_a_forged_token_does_not():
    checked = check("a.pdf", pdf_bytes())
    token = held.hold(checked)
    again = held.take(token)
    assert again.content == checked.content and again.held == token
    with pytest.raises(UploadRefused, match="no longer available"):
        held.take(token[:-2] + "xx")
    held.release(again)
    with pytest.raises(UploadRefused, match="no longer available"):
        held.take(token)


def test_old_held_files_are_purged(settings):
    checked = check("a.pdf", pdf_bytes())
    token = held.hold(checked)
    settings.UPLOAD_HOLD_SECONDS = -1
    assert held.purge() == 1
    settings.UPLOAD_HOLD_SECONDS = 3600
    with pytest.raises(UploadRefused):
        held.take(token)
