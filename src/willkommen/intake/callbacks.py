"""FIT-Connect's callback: checking that it came from FIT-Connect, and recently.

The sender signs ``timestamp + "." + body`` with HMAC-SHA512 under the secret we
registered for the destination, and sends the hex digest in
``callback-authentication`` and the Unix time in ``callback-timestamp``. The
digest is compared in constant time; a timestamp older than
``FITCONNECT_CALLBACK_MAX_AGE_SECONDS`` is refused, so a recorded callback cannot
be replayed later. Within that window a replay announces submissions we already
know, which changes nothing (the submission id is unique).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

from django.conf import settings

NEW_SUBMISSIONS = "https://schema.fitko.de/fit-connect/callbacks/new-submissions"


class CallbackRefused(Exception):
    def __init__(self, status: int, reason: str):
        self.status = status
        self.reason = reason
        super().__init__(reason)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha512).hexdigest()


def verify(secret: str, timestamp: str, body: bytes, given: str, now: float | None = None) -> None:
    if not secret:
        raise CallbackRefused(503, "no callback secret configured for this destination")
    if not timestamp.isdigit():
        raise CallbackRefused(400, "callback-timestamp missing or not a Unix time")
    age = (now or time.time()) - int(timestamp)
    if age > settings.FITCONNECT_CALLBACK_MAX_AGE_SECONDS or age < -60:
        raise CallbackRefused(401, "callback-timestamp too old or in the future")
    if not hmac.compare_digest(signature(secret, timestamp, body), given.strip().lower()):
        raise CallbackRefused(401, "callback-authentication does not match")


def announced(body: bytes, destination_id: str) -> list[tuple[str, str]]:
    """(submission id, case id) of each submission the callback announces for us."""
    try:
        document = json.loads(body)
        if document.get("type") != NEW_SUBMISSIONS:
            raise CallbackRefused(422, "not a new-submissions callback")
        found = []
        for entry in document.get("payload", document).get("submissions", []):
            if str(entry["destinationId"]) != destination_id:
                raise CallbackRefused(422, "a submission for another destination")
            found.append((str(uuid.UUID(entry["submissionId"])), str(uuid.UUID(entry["caseId"]))))
        return found
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise CallbackRefused(400, f"malformed callback: {error}") from error
