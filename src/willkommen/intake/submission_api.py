"""Talking to FIT-Connect: the OAuth2 token, the Submission API, the event log.

One ``SubmissionApi`` per destination. The access token (client credentials) is
kept in this process until a minute before it expires, never in the database.
A network error or a 5xx answer raises ``DeliveryServiceUnavailable``: nothing is
changed on our side, and the next poll tries again (the poller runs every minute,
so the retry backs off by itself).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from django.conf import settings
from jwcrypto import jwk, jws
from jwcrypto.common import JWException

from willkommen.intake.keys import DestinationKeys

SUBMIT_EVENT = "https://schema.fitko.de/fit-connect/events/submit-submission"
# A token is renewed this long before FIT-Connect says it expires.
TOKEN_MARGIN_SECONDS = 60

_tokens: dict[tuple[str, str], tuple[str, float]] = {}
_tokens_lock = threading.Lock()


class DeliveryServiceUnavailable(RuntimeError):
    """FIT-Connect did not answer usefully now; try again later."""


class PayloadTooLarge(RuntimeError):
    """An attachment larger than any file the upload gate would take."""


class EventRefused(RuntimeError):
    """FIT-Connect refused our event (409 wrong transition, 422 rejected)."""

    def __init__(self, status: int, detail: str):
        self.status = status
        super().__init__(f"{status}: {detail}")


@dataclass(frozen=True)
class Announcement:
    submission_id: str
    case_id: str


def _require_https(url: str) -> None:
    if settings.FITCONNECT_REQUIRE_HTTPS and not url.startswith("https://"):
        raise DeliveryServiceUnavailable(f"{url} is not HTTPS (FITCONNECT_REQUIRE_HTTPS)")


def forget_tokens() -> None:
    with _tokens_lock:
        _tokens.clear()


class SubmissionApi:
    def __init__(self, destination, keys: DestinationKeys):
        self.destination = destination
        self.keys = keys
        self.base = destination.api_base_url.rstrip("/")
        _require_https(self.base)
        _require_https(destination.token_url)

    # --- the token ---------------------------------------------------------
    def _token(self, renew: bool = False) -> str:
        cache_key = (self.destination.token_url, self.destination.client_id)
        with _tokens_lock:
            cached = _tokens.get(cache_key)
            if cached and not renew and cached[1] > time.monotonic():
                return cached[0]
        try:
            answer = httpx.post(
                self.destination.token_url,
                data={"grant_type": "client_credentials"},
                auth=(self.destination.client_id, self.keys.client_secret),
                timeout=settings.FITCONNECT_HTTP_TIMEOUT,
            )
        except httpx.HTTPError as error:
            raise DeliveryServiceUnavailable(f"token endpoint: {error}") from error
        if answer.status_code != 200:
            raise DeliveryServiceUnavailable(f"token endpoint answered {answer.status_code}")
        body = answer.json()
        lifetime = float(body.get("expires_in", 300))
        valid_until = time.monotonic() + max(lifetime - TOKEN_MARGIN_SECONDS, lifetime / 2)
        with _tokens_lock:
            _tokens[cache_key] = (body["access_token"], valid_until)
        return body["access_token"]

    def _call(self, method: str, path: str, **kwargs) -> httpx.Response:
        """One call with our token; a 401 renews the token once (it may have expired early)."""
        for renew in (False, True):
            headers = {**kwargs.pop("headers", {}), "Authorization": f"Bearer {self._token(renew)}"}
            try:
                answer = httpx.request(
                    method,
                    self.base + path,
                    headers=headers,
                    timeout=settings.FITCONNECT_HTTP_TIMEOUT,
                    **kwargs,
                )
            except httpx.HTTPError as error:
                raise DeliveryServiceUnavailable(f"{method} {path}: {error}") from error
            kwargs["headers"] = {k: v for k, v in headers.items() if k != "Authorization"}
            if answer.status_code != 401:
                break
        if answer.status_code >= 500 or answer.status_code == 401:
            raise DeliveryServiceUnavailable(f"{method} {path} answered {answer.status_code}")
        return answer

    def _json(self, path: str, **params) -> dict:
        answer = self._call("GET", path, params=params or None)
        if answer.status_code != 200:
            raise DeliveryServiceUnavailable(f"GET {path} answered {answer.status_code}")
        return answer.json()

    # --- the Submission API --------------------------------------------------
    def announcements(self) -> list[Announcement]:
        """Every submission waiting for this destination, page by page."""
        found, offset = [], 0
        while True:
            page = self._json(
                "/v1/submissions",
                destinationId=str(self.destination.destination_id),
                limit=settings.FITCONNECT_PAGE_SIZE,
                offset=offset,
            )
            entries = page.get("submissions", [])
            found += [Announcement(str(e["submissionId"]), str(e["caseId"])) for e in entries]
            offset += len(entries)
            if not entries or offset >= int(page.get("totalCount", 0)):
                return found

    def submission(self, submission_id: str) -> dict:
        return self._json(f"/v1/submissions/{submission_id}")

    def attachment(self, submission_id: str, attachment_id: str) -> str:
        """The attachment's JWE, read no further than a file the upload gate could take
        (base64 makes it a third larger, plus the JWE's header and key)."""
        limit = settings.UPLOAD_MAX_BYTES * 4 // 3 + 64 * 1024
        path = f"/v1/submissions/{submission_id}/attachments/{attachment_id}"
        for renew in (False, True):
            headers = {"Authorization": f"Bearer {self._token(renew)}"}
            try:
                with httpx.stream(
                    "GET",
                    self.base + path,
                    headers=headers,
                    timeout=settings.FITCONNECT_HTTP_TIMEOUT,
                ) as answer:
                    if answer.status_code == 401 and not renew:
                        continue
                    if answer.status_code != 200:
                        raise DeliveryServiceUnavailable(
                            f"attachment {attachment_id}: {answer.status_code}"
                        )
                    body = bytearray()
                    for chunk in answer.iter_bytes():
                        body += chunk
                        if len(body) > limit:
                            raise PayloadTooLarge(
                                f"attachment {attachment_id} exceeds {limit} bytes"
                            )
                    return body.decode("ascii", errors="replace")
            except httpx.HTTPError as error:
                raise DeliveryServiceUnavailable(f"GET {path}: {error}") from error
        raise DeliveryServiceUnavailable(f"GET {path}: token refused")

    def submitted_at(self, case_id: str, submission_id: str) -> datetime | None:
        """When the sender submitted it: the ``iat`` of the delivery service's signed
        submit-submission event in the case's event log (checked against its keys)."""
        log = self._json(f"/v1/cases/{case_id}/events").get("eventLog", [])
        service_keys = jwk.JWKSet.from_json(self._call("GET", "/.well-known/jwks.json").text)
        for compact in log:
            token = jws.JWS()
            try:
                token.deserialize(compact)
                kid = json.loads(token.objects["protected"]).get("kid")
                key = service_keys.get_key(kid) if kid else None
                if key is None:
                    continue
                token.verify(key, alg="PS512")
                claims = json.loads(token.payload)
            except (JWException, ValueError, KeyError):
                continue  # an event we cannot verify tells us nothing
            if claims.get("sub") == f"submission:{submission_id}" and SUBMIT_EVENT in claims.get(
                "events", {}
            ):
                return datetime.fromtimestamp(int(claims["iat"]), tz=UTC)
        return None

    def event_logged(self, case_id: str, jti: str) -> bool:
        """Whether an event with this id is already in the case's log (sent before a crash)."""
        for compact in self._json(f"/v1/cases/{case_id}/events").get("eventLog", []):
            try:
                segment = compact.split(".")[1]
                claims = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
            except (IndexError, ValueError):
                continue
            if claims.get("jti") == jti:
                return True
        return False

    def send_event(self, case_id: str, compact_set: str) -> None:
        answer = self._call(
            "POST",
            f"/v1/cases/{case_id}/events",
            content=compact_set.encode(),
            headers={"Content-Type": "application/jose"},
        )
        if answer.status_code in (200, 201, 202, 204):
            return
        raise EventRefused(answer.status_code, answer.text[:500])
