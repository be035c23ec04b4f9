"""Checking an uploaded file before it becomes a document.

The type is decided by the content, never by the name or the browser's
Content-Type: the first bytes must be those of a PDF, JPEG or PNG, and the file
must then parse as one (pypdf, Pillow). Size, page count and pixel count are
bounded, so decompression and page bombs are refused before anything is
decoded in full. The uploader's file name is only kept, cleaned, for display.
"""

from __future__ import annotations

import hashlib
import io
import logging
import shlex
import subprocess
import unicodedata
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

logger = logging.getLogger(__name__)

MAGIC = {
    b"%PDF-": "pdf",
    b"\xff\xd8\xff": "jpeg",
    b"\x89PNG\r\n\x1a\n": "png",
}
PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG"}


class UploadRefused(ValueError):
    """The file is not accepted; ``message`` says why, in the uploader's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    kind: str
    sha256: str
    pages: int | None
    pixels: int | None
    display_name: str
    scan_result: str


def clean_display_name(name: str, kind: str) -> str:
    """The last path component, without control characters, bounded, with the real extension."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(
        ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C"
    )
    base = base.strip(" .") or "dokument"
    stem = base.rsplit(".", 1)[0] if "." in base else base
    extension = "jpg" if kind == "jpeg" else kind
    return f"{stem[:120]}.{extension}"


def detect_kind(head: bytes) -> str | None:
    return next((kind for magic, kind in MAGIC.items() if head.startswith(magic)), None)


def _check_pdf(content: bytes) -> int:
    # A cut-off PDF lacks its end marker; pypdf would otherwise try to repair it.
    if b"%%EOF" not in content[-2048:]:
        raise UploadRefused(_("The PDF file is incomplete or damaged."))
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise UploadRefused(_("Password-protected PDF files cannot be accepted."))
        pages = len(reader.pages)
        if pages > settings.CASE_UPLOAD_MAX_PAGES:
            raise UploadRefused(
                _("The PDF has %(pages)d pages; at most %(limit)d are accepted.")
                % {"pages": pages, "limit": settings.CASE_UPLOAD_MAX_PAGES}
            )
        for page in reader.pages:  # resolves each page object: broken trees fail here
            page.mediabox  # noqa: B018
    except UploadRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        logger.info("PDF refused: %s", exc)
        raise UploadRefused(_("The PDF file is incomplete or damaged.")) from exc
    if pages == 0:
        raise UploadRefused(_("The PDF file has no pages."))
    return pages


def _check_image(content: bytes, kind: str) -> int:
    limit = settings.CASE_UPLOAD_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[PIL_FORMATS[kind]]) as image:
                width, height = image.size  # read from the header, nothing decoded yet
                if width * height > limit:
                    raise UploadRefused(
                        _("The image has too many pixels (%(pixels)s million, at most %(limit)s).")
                        % {"pixels": round(width * height / 1e6, 1), "limit": round(limit / 1e6)}
                    )
                image.verify()  # chunk structure and checksums up to the end marker
            with Image.open(io.BytesIO(content), formats=[PIL_FORMATS[kind]]) as image:
                image.load()  # decodes it: truncated or corrupt pixel data fails here
    except UploadRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadRefused(_("The image has too many pixels.")) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise UploadRefused(_("The image file is incomplete or damaged.")) from exc
    return width * height


def virus_scan(content: bytes) -> str:
    """Run CASE_VIRUS_SCAN_COMMAND with the file on stdin; 'not_configured' if unset.

    Exit status 0 means clean, 1 infected (the convention of clamdscan and
    others), anything else is a failed scan, and the file is refused then too.
    """
    command = settings.CASE_VIRUS_SCAN_COMMAND
    if not command:
        return "not_configured"
    try:
        result = subprocess.run(  # noqa: S603 - the operator's own command
            shlex.split(command), input=content, capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.error("virus scan could not run: %s", exc)
        raise UploadRefused(
            _("The file could not be checked for viruses. Please try again later.")
        ) from exc
    if result.returncode == 0:
        return "clean"
    if result.returncode == 1:
        logger.warning("virus scan found malware in an upload")
        raise UploadRefused(_("The file contains malware and was not accepted."))
    logger.error("virus scan failed with exit status %s", result.returncode)
    raise UploadRefused(_("The file could not be checked for viruses. Please try again later."))


def check_upload(uploaded) -> CheckedFile:
    """Read and check an uploaded file (a Django UploadedFile or any object with read/size/name)."""
    limit = settings.CASE_UPLOAD_MAX_BYTES
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise _too_big(limit)
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        raise _too_big(limit)
    if not content:
        raise UploadRefused(_("The file is empty."))
    kind = detect_kind(content[:16])
    if kind is None:
        raise UploadRefused(_("Only PDF, JPEG and PNG files are accepted."))
    pages = pixels = None
    if kind == "pdf":
        pages = _check_pdf(content)
    else:
        pixels = _check_image(content, kind)
    scan_result = virus_scan(content)
    return CheckedFile(
        content=content,
        kind=kind,
        sha256=hashlib.sha256(content).hexdigest(),
        pages=pages,
        pixels=pixels,
        display_name=clean_display_name(getattr(uploaded, "name", ""), kind),
        scan_result=scan_result,
    )


def _too_big(limit: int) -> UploadRefused:
    return UploadRefused(
        _("The file is larger than %(limit)s MB.") % {"limit": round(limit / 1024 / 1024)}
    )
