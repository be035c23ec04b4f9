"""The JOSE side of FIT-Connect: opening the JWE payloads, signing our Security Event Tokens.

Payloads are compact JWE with ``RSA-OAEP-256`` key wrapping and ``A256GCM``
content encryption, to one of the destination's keys (picked by ``kid``). Our
events are SETs signed ``PS512`` with the destination's current signing key, its
``kid`` in the header so FIT-Connect finds the public key we registered.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

from jwcrypto import jwe, jws
from jwcrypto.common import JWException

from willkommen.intake import problems
from willkommen.intake.keys import DestinationKeys

KEY_ALGORITHM = "RSA-OAEP-256"
CONTENT_ALGORITHM = "A256GCM"
EVENT_BASE = "https://schema.fitko.de/fit-connect/events/"
ACCEPT = EVENT_BASE + "accept-submission"
REJECT = EVENT_BASE + "reject-submission"


def authentication_tag(compact: str) -> str:
    """The JWE's authentication tag: its fifth, last segment."""
    return compact.rsplit(".", 1)[-1]


def decrypt(compact: str, keys: DestinationKeys, instance: str) -> bytes:
    """The plaintext of one JWE, or a Refusal (encryption-issue) naming which part failed."""
    if not isinstance(compact, str) or compact.count(".") != 4:
        raise problems.Refusal(problems.ENCRYPTION_ISSUE, "not a compact JWE", instance)
    try:
        token = jwe.JWE()
        token.deserialize(compact)
        header = json.loads(token.objects["protected"])
    except (JWException, ValueError, KeyError) as error:
        raise problems.Refusal(
            problems.ENCRYPTION_ISSUE, f"unreadable JWE: {error}", instance
        ) from None
    if header.get("alg") != KEY_ALGORITHM or header.get("enc") != CONTENT_ALGORITHM:
        raise problems.Refusal(
            problems.ENCRYPTION_ISSUE,
            f"algorithms {header.get('alg')}/{header.get('enc')} are not "
            f"{KEY_ALGORITHM}/{CONTENT_ALGORITHM}",
            instance,
        )
    key = keys.decryption_key(header.get("kid"))
    if key is None:
        raise problems.Refusal(
            problems.ENCRYPTION_ISSUE, f"no key with kid {header.get('kid')!r}", instance
        )
    try:
        token.decrypt(key)
    except JWException as error:
        # A changed byte anywhere fails GCM's authentication here.
        raise problems.Refusal(
            problems.ENCRYPTION_ISSUE, f"decryption failed: {error}", instance
        ) from None
    return token.payload


def check_hash(content: bytes, declared: dict, instance: str) -> None:
    """The metadata's ``hash`` ({type: sha512, content: hex}) against the plaintext."""
    if declared.get("type") != "sha512":
        raise problems.Refusal(problems.SCHEMA_VIOLATION, "hash type must be sha512", instance)
    actual = hashlib.sha512(content).hexdigest()
    if not hmac.compare_digest(actual, str(declared.get("content", "")).lower()):
        raise problems.Refusal(problems.HASH_MISMATCH, "the SHA-512 hash does not match", instance)


def signed_event(
    *,
    keys: DestinationKeys,
    destination_id: str,
    submission_id: str,
    case_id: str,
    jti: str,
    event: str,
    body: dict,
    issued_at: int | None = None,
) -> str:
    """A compact SET (``typ secevent+jwt``), signed PS512 with the current signing key."""
    claims = {
        "iss": destination_id,
        "iat": issued_at or int(time.time()),
        "jti": jti,
        "sub": f"submission:{submission_id}",
        "txn": f"case:{case_id}",
        "events": {event: body},
    }
    token = jws.JWS(json.dumps(claims, separators=(",", ":")).encode())
    token.add_signature(
        keys.signing,
        alg="PS512",
        protected={"typ": "secevent+jwt", "alg": "PS512", "kid": keys.signing["kid"]},
    )
    return token.serialize(compact=True)


def new_jti() -> uuid.UUID:
    return uuid.uuid4()
