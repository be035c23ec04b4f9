"""Rate limits that hold across every server process.

A limit is "at most ``limit`` actions per ``period``" for one identity (an IP
address, an e-mail address, a booking reference) within one scope (what is
being limited, e.g. ``"booking-hold-ip"``). Counting uses fixed windows stored
in the database (``RateLimitWindow``): the increment is a single conditional
UPDATE, or an INSERT guarded by the unique constraint, so two processes never
lose each other's count. Per-process memory would let an attacker multiply the
limit by the number of workers.

Identities are stored as a keyed hash (HMAC with SECRET_KEY): the table says
how often "someone" acted, not who.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from willkommen.core import clock
from willkommen.core.models import RateLimitWindow

# Shown by the JSON API's 429 answer; pages use the 429.html template.
TOO_MANY_ATTEMPTS = _("Too many attempts. Please try again later.")


class RateLimited(Exception):
    """Too many attempts; ``retry_after`` is in whole seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"rate limited, retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Result:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window ends; 0 when allowed


def client_ip(request) -> str:
    """The address the request came from.

    Behind our own reverse proxy (TRUST_X_FORWARDED_FOR), the proxy appends the
    address it saw to X-Forwarded-For; the last entry is the one we can trust,
    anything before it the client may have made up.
    """
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, identity: str) -> str:
    message = f"{scope}\x1f{identity.strip().lower()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _window_start(now: datetime, period: timedelta) -> datetime:
    seconds = period.total_seconds()
    epoch = now.timestamp()
    return datetime.fromtimestamp(math.floor(epoch / seconds) * seconds, tz=UTC)


def hit(scope: str, identity: str, *, limit: int, period: timedelta) -> Result:
    """Count one action of ``identity`` in ``scope`` and say whether it is within the limit.

    Every call counts, including refused ones: hammering a limit does not reset it.
    """
    if limit < 1 or period.total_seconds() < 1:
        raise ValueError("a rate limit needs limit >= 1 and a period of at least one second")
    if not settings.RATE_LIMITS_ENABLED:
        return Result(allowed=True, count=0, retry_after=0)
    now = clock.now()
    start = _window_start(now, period)
    key = _key(scope, identity)
    window = RateLimitWindow.objects.filter(key=key, window_start=start)
    with transaction.atomic():
        if not window.update(count=F("count") + 1):
            try:
                with transaction.atomic():  # savepoint: another process may insert first
                    RateLimitWindow.objects.create(
                        key=key, window_start=start, expires_at=start + period, count=1
                    )
            except IntegrityError:
                window.update(count=F("count") + 1)
        count = window.values_list("count", flat=True).get()
    if count <= limit:
        return Result(allowed=True, count=count, retry_after=0)
    retry_after = max(1, math.ceil((start + period - now).total_seconds()))
    return Result(allowed=False, count=count, retry_after=retry_after)


def enforce(scope: str, identity: str, *, limit: int, period: timedelta) -> Result:
    """Like ``hit``, but raise ``RateLimited`` when the limit is exceeded."""
    result = hit(scope, identity, limit=limit, period=period)
    if not result.allowed:
        raise RateLimited(result.retry_after)
    return result


def purge_expired(now: datetime | None = None) -> int:
    """Delete windows that have ended; returns how many. Run by ``manage.py purge_ratelimits``."""
    deleted, _ = RateLimitWindow.objects.filter(expires_at__lt=now or clock.now()).delete()
    return deleted
