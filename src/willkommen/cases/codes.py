"""Access codes for the applicant status page and readable case references.

An access code carries 80 random bits (16 characters of Crockford's base32,
which leaves out I, L, O and U so codes survive being read aloud or typed from
paper). Only an HMAC of it is stored; checking compares in constant time, and
an unknown reference costs the same work as a wrong code.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
CODE_LENGTH = 16  # 16 × 5 bits = 80 bits
_DUMMY_HASH = "0" * 64


def new_access_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    """Upper case, no separators or spaces; the usual misreadings mapped (O→0, I/L→1)."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return cleaned.translate(str.maketrans("OIL", "011"))


def hash_code(reference: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    message = f"case-access:{reference}:{normalise_code(code)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def code_matches(reference: str, code: str, stored_hash: str | None) -> bool:
    """Constant-time check; ``stored_hash`` None (no such case) still does the work."""
    expected = hash_code(reference, code)
    return hmac.compare_digest(expected, stored_hash or _DUMMY_HASH) and stored_hash is not None


def normalise_reference(reference: str) -> str:
    return "".join(reference.upper().split())
