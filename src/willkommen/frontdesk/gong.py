"""The display's gong, synthesised (no third-party recording, no licence question).

``python -m willkommen.frontdesk.gong`` writes static/frontdesk/gong.wav; a test
checks the committed file is what this code produces.
"""

import io
import wave
from pathlib import Path

import numpy as np

RATE = 22_050
GONG_FILE = Path(__file__).resolve().parent / "static" / "frontdesk" / "gong.wav"


def _strike(frequency: float, seconds: float) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    # A bell: fundamental plus inharmonic partials, each decaying at its own rate.
    partials = [(1.0, 1.0, 2.2), (2.76, 0.45, 3.5), (5.4, 0.2, 5.0), (0.5, 0.3, 1.6)]
    tone = sum(a * np.exp(-d * t) * np.sin(2 * np.pi * frequency * f * t) for f, a, d in partials)
    attack = np.minimum(t / 0.005, 1.0)
    return tone * attack


def gong_wav() -> bytes:
    """Two strikes, a falling third (like the classic two-tone chime), 16-bit mono."""
    first = _strike(659.25, 0.9)  # E5
    second = _strike(523.25, 1.4)  # C5
    signal = np.concatenate([first[: int(RATE * 0.55)], second])
    signal = signal / np.max(np.abs(signal)) * 0.8
    samples = (signal * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


if __name__ == "__main__":
    GONG_FILE.write_bytes(gong_wav())
    print(f"wrote {GONG_FILE} ({GONG_FILE.stat().st_size} bytes)")
