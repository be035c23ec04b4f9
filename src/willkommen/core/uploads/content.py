"""What an upload is, decided by its bytes: the type, then the structure of that type.

The type is sniffed from the content with ``filetype`` (never the browser's
Content-Type) and must agree with the file name's extension. Then the file must
parse as that type within bounds: PDFs without active content (scripts, launch
actions, embedded files) and without streams that inflate past
``UPLOAD_PDF_MAX_INFLATED_BYTES``; images whose declared pixel count is checked
from the header before anything is decoded. Each refusal is an
``UploadRefused`` with a message in the uploader's language.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

logger = logging.getLogger(__name__)


class UploadRefused(ValueError):
    """The file is not accepted; ``message`` says why, in the uploader's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Kind:
    name: str
    mime: str
    extensions: tuple[str, ...]
    label: str


# Every type the structure checks understand; UPLOAD_ALLOWED_TYPES picks from these.
KINDS = {
    "pdf": Kind("pdf", "application/pdf", ("pdf",), "PDF"),
    "jpeg": Kind("jpeg", "image/jpeg", ("jpg", "jpeg"), "JPEG"),
    "png": Kind("png", "image/png", ("png",), "PNG"),
}
BY_MIME = {kind.mime: kind for kind in KINDS.values()}


def allowed_kinds() -> list[Kind]:
    return [KINDS[name] for name in settings.UPLOAD_ALLOWED_TYPES]


def _not_accepted() -> UploadRefused:
    labels = ", ".join(kind.label for kind in allowed_kinds())
    return UploadRefused(_("Only these file types are accepted: %(types)s.") % {"types": labels})


def sniff(content: bytes, name: str) -> Kind:
    """The type the bytes are, if it is allowed and the name's extension agrees."""
    guessed = filetype.guess(content[:8192])
    kind = BY_MIME.get(guessed.mime) if guessed else None
    if kind is None or kind not in allowed_kinds():
        raise _not_accepted()
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    extension = base.rsplit(".", 1)[-1].lower() if "." in base else ""
    if extension not in kind.extensions:
        raise UploadRefused(
            _(
                "The file is a %(type)s file, but its name ends in “.%(extension)s”. "
                "Please give it the right ending (%(endings)s)."
            )
            % {
                "type": kind.label,
                "extension": extension,
                "endings": ", ".join(f".{e}" for e in kind.extensions),
            }
        )
    return kind


# --- PDF ---------------------------------------------------------------------

# Names that make a PDF do something when it is opened or clicked, or carry
# another file inside; a document for the office needs none of them.
ACTIVE_NAMES = frozenset(
    {
        "JS", "JavaScript", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia",
        "RichMediaExecute", "XFA", "SubmitForm", "ImportData", "GoToE",
    }
)  # fmt: skip
# A PDF name: "/" then regular characters, where "#xx" spells any byte in hex.
NAME = re.compile(rb"/((?:[A-Za-z0-9_.+*-]|#[0-9A-Fa-f]{2})+)")
HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
INFLATE_CHUNK = 1024 * 1024
MAX_NESTING = 3  # a stream compressed inside a compressed stream, and so on
MAX_OBJECTS = 200_000


def _active_name(data: bytes) -> str | None:
    for match in NAME.finditer(data):
        decoded = _decoded(match.group(1)).decode("latin-1")
        if decoded in ACTIVE_NAMES:
            return decoded
    return None


def _inflated(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Inflate a zlib stream piece by piece: memory stays at one chunk, whatever the ratio."""
    inflater = zlib.decompressobj()
    for data in chunks:
        while data:
            out = inflater.decompress(data, INFLATE_CHUNK)
            data = inflater.unconsumed_tail
            if out:
                yield out
            if inflater.eof:
                return
    while not inflater.eof:
        out = inflater.decompress(b"", INFLATE_CHUNK)
        if not out:
            return
        yield out


def _looks_like_zlib(head: bytes) -> bool:
    return len(head) >= 2 and head[0] & 0x0F == 8 and (head[0] * 256 + head[1]) % 31 == 0


def _stream_layers(raw: bytes) -> Iterator[bytes]:
    """The inflated bytes of a stream, unwrapping zlib inside zlib up to MAX_NESTING."""
    chunks: Iterator[bytes] = iter([raw])
    for _depth in range(MAX_NESTING):
        inner = _inflated(chunks)
        first = next(inner, b"")
        if not first:
            return
        if not _looks_like_zlib(first):
            yield first
            yield from inner
            return

        def rest(first=first, inner=inner):
            yield first
            yield from inner

        chunks = rest()
    yield from chunks


def _decoded(data: bytes) -> bytes:
    return HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def _scan(content: bytes) -> None:
    """One pass over the file: names outside streams, every stream inflated within the budget.

    Stream bodies are binary (images, fonts): a short name like "/JS" turns up
    in such bytes by chance, so names are looked for only in the text between
    streams and inside object streams (``/Type /ObjStm``), which hold objects.
    """
    budget = settings.UPLOAD_PDF_MAX_INFLATED_BYTES
    produced = 0
    position = 0
    while True:
        match = STREAM.search(content, position)
        between = content[position : match.start() if match else len(content)]
        if _active_name(between):
            raise _active_content()
        if match is None:
            return
        end = content.find(b"endstream", match.end())
        if end < 0:
            end = len(content)
        dictionary = _decoded(content[content.rfind(b"obj", 0, match.start()) : match.start()])
        holds_objects = b"/ObjStm" in dictionary
        tail = b""
        try:
            for chunk in _stream_layers(content[match.end() : end]):
                produced += len(chunk)
                if produced > budget:
                    logger.info("PDF refused: streams inflate past %s bytes", budget)
                    raise UploadRefused(_("The PDF unpacks to far more data than a document has."))
                # A name cut by the chunk border is found in the overlap.
                if holds_objects and _active_name(tail + chunk):
                    raise _active_content()
                tail = chunk[-64:]
        except zlib.error:
            pass  # not Flate data (a JPEG image, say) or damaged: pypdf judges that
        position = end + len(b"endstream")


def _active_content() -> UploadRefused:
    return UploadRefused(
        _(
            "The PDF contains scripts, actions or embedded files and cannot be accepted. "
            "Please print it to a new PDF or scan it."
        )
    )


def _walk_objects(reader: PdfReader) -> None:
    """Every object reachable from the trailer, with names as pypdf decoded them."""
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise UploadRefused(_("The PDF file is too complex to be checked."))
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key[1:] in ACTIVE_NAMES:
                    raise _active_content()
                if key in ("/S", "/Type") and str(value)[1:] in ACTIVE_NAMES:
                    raise _active_content()
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def check_pdf(content: bytes) -> int:
    """Page count of a PDF that is whole, not encrypted, and has no active content."""
    # A cut-off PDF lacks its end marker; pypdf would otherwise try to repair it.
    if b"%%EOF" not in content[-2048:]:
        raise UploadRefused(_("The PDF file is incomplete or damaged."))
    # Raw names first: "/J#53" is "/JS" to a reader, and pypdf may never reach
    # an object that a reader's repair would find.
    _scan(content)
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise UploadRefused(_("Password-protected PDF files cannot be accepted."))
        pages = len(reader.pages)
        if pages > settings.UPLOAD_MAX_PAGES:
            raise UploadRefused(
                _("The PDF has %(pages)d pages; at most %(limit)d are accepted.")
                % {"pages": pages, "limit": settings.UPLOAD_MAX_PAGES}
            )
        for page in reader.pages:  # resolves each page object: broken trees fail here
            page.mediabox  # noqa: B018
        _walk_objects(reader)
    except UploadRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        logger.info("PDF refused: %s", exc)
        raise UploadRefused(_("The PDF file is incomplete or damaged.")) from exc
    if pages == 0:
        raise UploadRefused(_("The PDF file has no pages."))
    return pages


# --- images ------------------------------------------------------------------

PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG"}


def check_image(content: bytes, kind: str) -> int:
    """Pixel count of an image whose header is within bounds and whose data decodes."""
    limit = settings.UPLOAD_MAX_PIXELS
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
