"""Small, well-formed video files made byte by byte (no encoder on the test machines).

They carry the headers a player and the video gate read (MP4: ftyp, moov with mvhd
and tkhd, mdat; WebM: the EBML header, Segment with Info and Tracks, a Cluster),
with the duration and picture size asked for.
"""

import struct


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4(*, seconds: int = 95, width: int = 640, height: int = 480) -> bytes:
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41")
    timescale = 1000
    mvhd = _box(
        b"mvhd",
        b"\x00\x00\x00\x00"  # version 0, flags
        + struct.pack(">IIII", 0, 0, timescale, seconds * timescale)
        + b"\x00" * 80,
    )
    tkhd = _box(
        b"tkhd",
        b"\x00\x00\x00\x03" + b"\x00" * 72 + struct.pack(">II", width << 16, height << 16),
    )
    moov = _box(b"moov", mvhd + _box(b"trak", tkhd))
    return ftyp + moov + _box(b"mdat", b"\x00" * 2048)


def _size(n: int) -> bytes:
    return bytes([0x80 | n]) if n < 0x7F else struct.pack(">Q", n | (0x01 << 56))


def _element(element_id: bytes, payload: bytes) -> bytes:
    return element_id + _size(len(payload)) + payload


def webm(*, seconds: float = 42.0, width: int = 1280, height: int = 720) -> bytes:
    header = _element(
        b"\x1a\x45\xdf\xa3",
        _element(b"\x42\x86", b"\x01")  # EBMLVersion
        + _element(b"\x42\x82", b"webm")  # DocType
        + _element(b"\x42\x87", b"\x04"),
    )
    info = _element(
        b"\x15\x49\xa9\x66",
        _element(b"\x2a\xd7\xb1", (1_000_000).to_bytes(3, "big"))
        + _element(b"\x44\x89", struct.pack(">d", seconds * 1000)),
    )
    video = _element(
        b"\xe0",
        _element(b"\xb0", width.to_bytes(2, "big")) + _element(b"\xba", height.to_bytes(2, "big")),
    )
    tracks = _element(b"\x16\x54\xae\x6b", _element(b"\xae", _element(b"\xd7", b"\x01") + video))
    cluster = _element(
        b"\x1f\x43\xb6\x75", _element(b"\xe7", b"\x00") + b"\xa3\x84" + b"\x81\x00\x00\x80"
    )
    return header + _element(b"\x18\x53\x80\x67", info + tracks + cluster)


CAPTIONS = (
    "WEBVTT\n\n00:00:00.000 --> 00:00:04.000\nWillkommen bei der Ausländerbehörde.\n".encode()
)
