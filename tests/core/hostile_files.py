"""Files an attacker would upload, built byte by byte (and a few good ones to compare)."""

import io
import struct
import zipfile
import zlib

from PIL import Image

CATALOG = b"<< /Type /Catalog /Pages 2 0 R %s >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] %s >>"


def build_pdf(*objects: bytes) -> bytes:
    """A PDF with a correct cross-reference table; object 1 is the catalogue."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def plain_pdf(catalog_extra=b"", page_extra=b"", *more: bytes) -> bytes:
    return build_pdf(CATALOG % catalog_extra, PAGES, PAGE % page_extra, *more)


def stream(data: bytes, extra=b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), extra, data)


PDF_WITH_JAVASCRIPT = plain_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
# "/J#61vaScript" and "/J#53" are /JavaScript and /JS to every reader.
PDF_WITH_HEX_ESCAPED_JAVASCRIPT = plain_pdf(
    b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"
)
PDF_WITH_LAUNCH = plain_pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>")
PDF_WITH_EMBEDDED_FILE = plain_pdf(
    b"/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>",
    b"",
    b"<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>",
    stream(b"MZ\x90\x00", b"/Type /EmbeddedFile"),
)
# The script hidden in a compressed stream: no name of it is visible in the raw bytes.
PDF_WITH_SCRIPT_IN_A_COMPRESSED_STREAM = plain_pdf(
    b"",
    b"/Contents 4 0 R",
    stream(zlib.compress(b"<< /S /JavaScript /JS (x) >>"), b"/Filter /FlateDecode"),
)
# An OpenAction that only opens page 1 fitted to the window: harmless, common.
PDF_OPENING_AT_PAGE_ONE = plain_pdf(b"/OpenAction [3 0 R /Fit]")


def _zeros_deflated(size: int) -> bytes:
    """A zlib stream of ``size`` zero bytes, made without compressing them all.

    After a full flush the compressor's output for the next mebibyte of zeros no
    longer depends on what came before, so one block is repeated.
    """
    chunk = b"\x00" * (1024 * 1024)
    compressor = zlib.compressobj(9)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = size // len(chunk)
    checksum = 1
    for _ in range(count):
        checksum = zlib.adler32(chunk, checksum)
    # An empty final block (fixed Huffman), then the Adler-32 of all the data.
    return first + block * (count - 1) + b"\x03\x00" + struct.pack(">I", checksum)


def pdf_flate_bomb(inflated=1024**3) -> bytes:
    """About 1 MB that a reader inflates to a gigabyte of page content."""
    data = _zeros_deflated(inflated)
    return plain_pdf(b"", b"/Contents 4 0 R", stream(data, b"/Filter /FlateDecode"))


def pdf_nested_flate_bomb(inflated=1024**3) -> bytes:
    """A bomb inside a bomb: Flate of Flate, a few kilobytes."""
    data = zlib.compress(_zeros_deflated(inflated), 9)
    return plain_pdf(b"", b"/Contents 4 0 R", stream(data, b"/Filter [/FlateDecode /FlateDecode]"))


def jpeg_claiming(width=60_000, height=60_000) -> bytes:
    """A real small JPEG whose frame header claims a huge size."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def zip_bomb_named_pdf() -> bytes:
    """A zip whose one member inflates to 100 MB, inside a zip (nesting)."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.bin", b"\x00" * (100 * 1024 * 1024))
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inner.zip", inner.getvalue())
    return outer.getvalue()


def pdf_with(payload: bytes) -> bytes:
    """A valid one-page PDF that carries ``payload`` in an uncompressed stream."""
    return plain_pdf(b"", b"/Contents 4 0 R", stream(payload))


def pdf_with_compressed(content: bytes) -> bytes:
    """A valid one-page PDF whose page content is a Flate stream."""
    data = zlib.compress(content)
    return plain_pdf(b"", b"/Contents 4 0 R", stream(data, b"/Filter /FlateDecode"))
