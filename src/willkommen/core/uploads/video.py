"""The gate for videos and their captions (the sign-language videos of the BITV pages).

The same rule as for documents: the type is sniffed from the bytes (``filetype``),
the name's extension must agree, the container must parse within bounds, and clamd
scans it last. What the parse finds (duration, picture size) is kept, so the page
can show the duration and BITV 2.0 § 4's minimum picture size (320 × 240) is
checked. No library reads both MP4 and WebM headers; walking their boxes and
elements for these few values is a bounded read of the file's first levels.
Captions must be WebVTT: UTF-8 text that starts with ``WEBVTT``.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from willkommen.core.uploads import clean_display_name, scanner, too_big
from willkommen.core.uploads.content import UploadRefused

VIDEO_KINDS = {"video/mp4": ("mp4", ("mp4", "m4v")), "video/webm": ("webm", ("webm",))}
MIME = {"mp4": "video/mp4", "webm": "video/webm"}
MIN_WIDTH, MIN_HEIGHT = 320, 240  # BITV 2.0 § 4 (2): at least 320 × 240 pixels
MAX_BOXES = 100_000


@dataclass(frozen=True)
class CheckedVideo:
    content: bytes
    kind: str  # mp4 or webm
    sha256: str
    duration_seconds: int | None
    width: int | None
    height: int | None
    display_name: str
    scan_result: str

    @property
    def mime(self) -> str:
        return MIME[self.kind]


@dataclass(frozen=True)
class CheckedCaptions:
    content: bytes
    display_name: str


def _read(uploaded, limit: int) -> bytes:
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise too_big(limit)
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        raise too_big(limit)
    if not content:
        raise UploadRefused(_("The file is empty."))
    return content


def _broken() -> UploadRefused:
    return UploadRefused(_("The video file is damaged or incomplete."))


# --- MP4 (ISO base media): boxes of size, type, payload ---------------------------


def _boxes(data: bytes, start: int, end: int):
    position, count = start, 0
    while position < end:
        count += 1
        if count > MAX_BOXES or position + 8 > end:
            raise _broken()
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        header = 8
        if size == 1:  # a 64-bit size follows
            if position + 16 > end:
                raise _broken()
            size = struct.unpack(">Q", data[position + 8 : position + 16])[0]
            header = 16
        elif size == 0:  # to the end of the enclosing box
            size = end - position
        if size < header or position + size > end:
            raise _broken()
        yield kind, position + header, position + size
        position += size


def _mp4(data: bytes) -> tuple[int | None, int | None, int | None]:
    top = {kind: (start, stop) for kind, start, stop in _boxes(data, 0, len(data))}
    if b"ftyp" not in top or b"moov" not in top:
        raise _broken()
    duration = width = height = None
    moov_start, moov_end = top[b"moov"]
    for kind, start, stop in _boxes(data, moov_start, moov_end):
        if kind == b"mvhd" and stop - start >= 32:
            if data[start] == 1:  # version 1: 64-bit times
                scale, length = struct.unpack(">IQ", data[start + 20 : start + 32])
            else:
                scale, length = struct.unpack(">II", data[start + 12 : start + 20])
            duration = round(length / scale) if scale else None
        elif kind == b"trak" and width is None:
            for inner, tstart, tstop in _boxes(data, start, stop):
                if inner == b"tkhd" and tstop - tstart >= 8:
                    w, h = struct.unpack(">II", data[tstop - 8 : tstop])
                    if w >> 16 and h >> 16:  # 16.16 fixed point; audio tracks have 0 × 0
                        width, height = w >> 16, h >> 16
    return duration, width, height


# --- WebM (Matroska, EBML): elements of variable-length id, size, payload ---------

EBML, DOCTYPE = 0x1A45DFA3, 0x4282
SEGMENT, INFO, TRACKS, TRACK_ENTRY, VIDEO = 0x18538067, 0x1549A966, 0x1654AE6B, 0xAE, 0xE0
TIMESTAMP_SCALE, DURATION, PIXEL_WIDTH, PIXEL_HEIGHT = 0x2AD7B1, 0x4489, 0xB0, 0xBA
CLUSTER = 0x1F43B675


def _vint(data: bytes, position: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """(value, next position, all value bits set = "unknown size")."""
    if position >= len(data):
        raise _broken()
    first = data[position]
    length = next((n for n in range(1, 9) if first & (0x80 >> (n - 1))), None)
    if length is None or position + length > len(data):
        raise _broken()
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[position + 1 : position + length]:
        value = (value << 8) | byte
    unknown = not keep_marker and value == (1 << (7 * length)) - 1
    return value, position + length, unknown


def _elements(data: bytes, start: int, end: int):
    position, count = start, 0
    while position < end:
        count += 1
        if count > MAX_BOXES:
            raise _broken()
        element, position, _unknown = _vint(data, position, keep_marker=True)
        size, position, unknown = _vint(data, position, keep_marker=False)
        stop = end if unknown else position + size
        if stop > end:
            raise _broken()
        yield element, position, stop
        position = stop


def _uint(data: bytes, start: int, stop: int) -> int:
    return int.from_bytes(data[start:stop], "big")


def _webm(data: bytes) -> tuple[int | None, int | None, int | None]:
    found = dict((e, (s, t)) for e, s, t in _elements_until_segment(data))
    if EBML not in found or SEGMENT not in found:
        raise _broken()
    header = {e: (s, t) for e, s, t in _elements(data, *found[EBML])}
    if DOCTYPE not in header or data[slice(*header[DOCTYPE])] != b"webm":
        raise _broken()
    scale, raw_duration, width, height = 1_000_000, None, None, None
    for element, start, stop in _elements(data, *found[SEGMENT]):
        if element == INFO:
            for inner, istart, istop in _elements(data, start, stop):
                if inner == TIMESTAMP_SCALE:
                    scale = _uint(data, istart, istop) or scale
                elif inner == DURATION and istop - istart in (4, 8):
                    raw_duration = struct.unpack(">f" if istop - istart == 4 else ">d",
                                                 data[istart:istop])[0]  # fmt: skip
        elif element == TRACKS:
            for entry, estart, estop in _elements(data, start, stop):
                if entry != TRACK_ENTRY or width is not None:
                    continue
                for inner, vstart, vstop in _elements(data, estart, estop):
                    if inner == VIDEO:
                        pixels = {
                            e: _uint(data, s, t) for e, s, t in _elements(data, vstart, vstop)
                        }
                        width, height = pixels.get(PIXEL_WIDTH), pixels.get(PIXEL_HEIGHT)
        elif element == CLUSTER:
            break  # the headers come before the first cluster of pictures
    duration = round(raw_duration * scale / 1e9) if raw_duration else None
    return duration, width, height


def _elements_until_segment(data: bytes):
    for element in _elements(data, 0, len(data)):
        yield element
        if element[0] == SEGMENT:
            return


def check_video(uploaded) -> CheckedVideo:
    """Read and check an uploaded video; ``UploadRefused`` says why not, translated."""
    content = _read(uploaded, settings.UPLOAD_VIDEO_MAX_BYTES)
    guessed = filetype.guess(content[:8192])
    if guessed is None or guessed.mime not in VIDEO_KINDS:
        raise UploadRefused(
            _("Only these file types are accepted: %(types)s.") % {"types": "MP4, WebM"}
        )
    kind, extensions = VIDEO_KINDS[guessed.mime]
    name = (getattr(uploaded, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in extensions:
        raise UploadRefused(
            _(
                "The file is a %(type)s file, but its name ends in “.%(extension)s”. "
                "Please give it the right ending (%(endings)s)."
            )
            % {"type": kind.upper(), "extension": extension,
               "endings": ", ".join(f".{e}" for e in extensions)}
        )  # fmt: skip
    try:
        duration, width, height = (_mp4 if kind == "mp4" else _webm)(content)
    except (struct.error, IndexError):
        raise _broken() from None
    if width and height and (width < MIN_WIDTH or height < MIN_HEIGHT):
        raise UploadRefused(
            _("The video is %(width)s × %(height)s pixels; it must be at least 320 × 240.")
            % {"width": width, "height": height}
        )
    scan_result = scanner.scan(content)
    return CheckedVideo(
        content=content,
        kind=kind,
        sha256=hashlib.sha256(content).hexdigest(),
        duration_seconds=duration,
        width=width,
        height=height,
        display_name=clean_display_name(name, kind),
        scan_result=scan_result,
    )


def check_captions(uploaded) -> CheckedCaptions:
    """A WebVTT file: UTF-8 text starting with ``WEBVTT``, no NUL characters."""
    content = _read(uploaded, settings.UPLOAD_CAPTIONS_MAX_BYTES)
    text = content.removeprefix(b"\xef\xbb\xbf")
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError:
        decoded = ""
    if "\x00" in decoded or not (
        decoded.startswith("WEBVTT") and decoded[6:7] in ("", " ", "\t", "\n", "\r")
    ):
        raise UploadRefused(_("Captions must be a WebVTT file (a text file starting with WEBVTT)."))
    scanner.scan(content)
    name = getattr(uploaded, "name", "") or ""
    return CheckedCaptions(content=content, display_name=clean_display_name(name, "vtt"))
