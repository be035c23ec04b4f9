"""Access codes for the applicant status page and readable case references.

An access code carries 80 random bits (16 characters of Crockford's base32,
which leaves out I, L, O and U so codes survive being read aloud or typed from
paper). Only an HMAC of it is stored; checking compares in constant time, and
an unknown reference costs the same work as a wrong code.

The HMAC is keyed with SECRET_KEY; a code hashed under a key that has moved to
SECRET_KEY_FALLBACKS still matches (and is then stored under the current key),
so rotating the secret key does not lock every applicant out.
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


def _keys() -> list[str]:
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def hash_code(reference: str, code: str, key: str | None = None) -> str:
    message = f"case-access:{reference}:{normalise_code(code)}".encode()
    return hmac.new((key or settings.SECRET_KEY).encode(), message, hashlib.sha256).hexdigest()


def code_matches(reference: str, code: str, stored_hash: str | None) -> bool:
    """Constant-time check under every accepted key; ``stored_hash`` None still does the work."""
    stored = stored_hash or _DUMMY_HASH
    matched = False
    for key in _keys():  # every key is tried, so the time does not say which one matched
        matched |= hmac.compare_digest(hash_code(reference, code, key), stored)
    return matched and stored_hash is not None


def hashed_with_current_key(reference: str, code: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_code(reference, code), stored_hash or _DUMMY_HASH)


def normalise_reference(reference: str) -> str:
    return "".join(reference.upper().split())
