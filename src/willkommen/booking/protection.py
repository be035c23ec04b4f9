"""Fairness before a hold: ALTCHA proof-of-work and rate limits per IP and e-mail.

The challenge is signed (HMAC) and expires; a solved challenge is accepted once
(its nonce is remembered in the shared cache until it expires), so one solution
cannot be replayed by many bots. Rate limits are ``core.ratelimit`` (database,
across processes).
"""

from datetime import timedelta

import altcha
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from willkommen.booking.errors import BookingError
from willkommen.core import clock, ratelimit

ALGORITHM = "SHA-256"
CHALLENGE_LIFETIME = timedelta(minutes=10)


class ChallengeFailed(BookingError):
    code = "challenge_failed"
    default_message = _(
        "The automatic check that you are a person did not succeed. Please wait until the "
        "check box shows “verified” and send the form again."
    )
    http_status = 400


def hold_minutes() -> int:
    return settings.BOOKING_HOLD_MINUTES


def new_challenge() -> dict:
    challenge = altcha.create_challenge(
        ALGORITHM,
        settings.ALTCHA_COST,
        expires_at=clock.now() + CHALLENGE_LIFETIME,
        hmac_secret=settings.ALTCHA_HMAC_KEY,
    )
    return challenge.to_dict()


def verify(payload: str) -> None:
    """Accept a solved, signed, unexpired challenge once; ChallengeFailed otherwise."""
    if not payload or len(payload) > 4000:
        raise ChallengeFailed()
    try:
        result = altcha.verify_solution(payload, settings.ALTCHA_HMAC_KEY)
    except (ValueError, TypeError, KeyError):
        raise ChallengeFailed() from None
    if not result.verified:
        raise ChallengeFailed()
    nonce = altcha.Payload.from_base64(payload).challenge.parameters.nonce
    if not cache.add(f"altcha-used:{nonce}", 1, timeout=int(CHALLENGE_LIFETIME.total_seconds())):
        raise ChallengeFailed()


def check_hold(request, payload: str, email: str) -> None:
    """Everything that must pass before an online hold: rate limits first (cheap), then PoW."""
    ratelimit.enforce(
        "booking-hold-ip",
        ratelimit.client_ip(request),
        limit=settings.BOOKING_HOLDS_PER_IP_PER_HOUR,
        period=timedelta(hours=1),
    )
    ratelimit.enforce(
        "booking-hold-email",
        email.strip().casefold(),
        limit=settings.BOOKING_HOLDS_PER_EMAIL_PER_DAY,
        period=timedelta(days=1),
    )
    if settings.ALTCHA_ENABLED:
        verify(payload)


def widget_context() -> dict:
    from django.urls import reverse

    return {
        "enabled": settings.ALTCHA_ENABLED,
        "challenge_url": reverse("api:altcha_challenge"),
    }
