"""Checking an uploaded file before anything keeps, shows or forwards it (invariant 9).

One gate for every upload path (case documents from applicants and staff, the
online applications, the emergency request): ``check_upload`` reads at most
``UPLOAD_MAX_BYTES``, sniffs the type from the content and compares it with the
extension, checks the structure of that type (``content``), and has clamd scan
it (``scanner``). Only a ``CheckedFile`` may be stored. Forms use
``CheckedFileField`` (``fields``), which runs the same gate and keeps the files
that passed when another field of the form was refused (``held``).
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from willkommen.core.uploads import scanner
from willkommen.core.uploads.content import UploadRefused, check_image, check_pdf, sniff

__all__ = ["CheckedFile", "UploadRefused", "as_checked", "check_upload", "clean_display_name"]


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    kind: str
    sha256: str
    pages: int | None
    pixels: int | None
    display_name: str
    scan_result: str
    # The signed token of a file held between two submissions of a form (``held``).
    held: str = ""

    @property
    def extension(self) -> str:
        return "jpg" if self.kind == "jpeg" else self.kind


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


def too_big(limit: int | None = None) -> UploadRefused:
    limit = limit or settings.UPLOAD_MAX_BYTES
    return UploadRefused(
        _("The file is larger than %(limit)s MB.") % {"limit": round(limit / 1024 / 1024)}
    )


def check_upload(uploaded) -> CheckedFile:
    """Read and check an upload (a Django UploadedFile or anything with read/size/name)."""
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise too_big(limit)
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)  # a form field may have read it already
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        raise too_big(limit)
    if not content:
        raise UploadRefused(_("The file is empty."))
    name = getattr(uploaded, "name", "") or ""
    kind = sniff(content, name)
    pages = pixels = None
    if kind.name == "pdf":
        pages = check_pdf(content)
    else:
        pixels = check_image(content, kind.name)
    scan_result = scanner.scan(content)  # last: only a well-formed file reaches the scanner
    return CheckedFile(
        content=content,
        kind=kind.name,
        sha256=hashlib.sha256(content).hexdigest(),
        pages=pages,
        pixels=pixels,
        display_name=clean_display_name(name, kind.name),
        scan_result=scan_result,
    )


def as_checked(uploaded) -> CheckedFile:
    """A form's already checked file as it is; anything else goes through the gate now."""
    return uploaded if isinstance(uploaded, CheckedFile) else check_upload(uploaded)
