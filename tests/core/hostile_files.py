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
# The script hidden in an object stream: no name of it is visible in the raw bytes.
PDF_WITH_SCRIPT_IN_AN_OBJECT_STREAM = plain_pdf(
    b"",
    b"",
    stream(
        zlib.compress(b"5 0 << /S /JavaScript /JS (x) >>"),
        b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
    ),
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


def pdf_flate_bomb(inflated=2 * 1024**3) -> bytes:
    """About 2 MB that a reader inflates to two gigabytes of page content."""
    data = _zeros_deflated(inflated)
    return plain_pdf(b"", b"/Contents 4 0 R", stream(data, b"/Filter /FlateDecode"))


def pdf_nested_flate_bomb(inflated=2 * 1024**3) -> bytes:
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


def pdf_with_random_image(size=2 * 1024 * 1024, seed=1) -> bytes:
    """A PDF with a Flate image of random bytes in which the bytes "/JS" turn up.

    In a few megabytes of binary data that happens by chance about every other
    file; here it is placed, and the stream is stored uncompressed (level 0), so
    the raw bytes hold it as well as the inflated ones.
    """
    import random

    data = random.Random(seed).randbytes(size)
    data = data[:1000] + b"\x00/JS\x00" + data[1000:]
    return plain_pdf(
        b"",
        b"/Resources << /XObject << /Im0 4 0 R >> >>",
        stream(
            zlib.compress(data, 0),
            b"/Type /XObject /Subtype /Image /Width 1024 /Height 683 /BitsPerComponent 8 "
            b"/ColorSpace /DeviceRGB /Filter /FlateDecode",
        ),
    )
