"""One protection for every public POST: rate limits and ALTCHA proof-of-work.

Every public form and every public API call that writes asks ``protect`` (forms
through ``ProtectedFormMixin``), in this order:

1. the limit per client address (every POST counts, valid or not: it is cheap);
2. the ALTCHA solution, where a bot gains from the action (a mail, a held time,
   a case): signed, unexpired, accepted once; a page form sent without JavaScript
   may bring a waiting ticket instead (``core/noscript.py``);
3. the limit per target e-mail address, counted only for requests that passed
   the proof-of-work, so that nobody can use up a stranger's allowance without
   paying for each attempt.

Limits are ``core.ratelimit`` windows in the database, so they hold across all
server processes. A refused limit raises ``RateLimited``: pages answer with the
429 page (core.middleware), the API with its 429 JSON (willkommen/api.py).
A failed proof-of-work raises ``ChallengeFailed`` with a translated message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import altcha
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from willkommen.core import clock, noscript, ratelimit

ALGORITHM = "SHA-256"
# One lifetime for a form, with JavaScript (the challenge) or without (the ticket).
CHALLENGE_LIFETIME = noscript.LIFETIME
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
# The e-mail scope every public form shares: a stranger's address gets at most
# this many mails a day from all forms together, not that many from each.
SHARED_EMAIL_SCOPE = "public-form-email"


class ChallengeFailed(Exception):
    code = "challenge_failed"
    http_status = 400
    default_message = _(
        "The automatic check that you are a person did not succeed. Please wait until the "
        "check box shows “verified” and send the form again."
    )

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


@dataclass(frozen=True)
class Protection:
    """How one public action is protected. Limits are named settings, read at each call."""

    scope: str
    per_address_setting: str  # actions per client address per hour
    per_email_setting: str | None = None  # actions per target e-mail address per day
    proof_of_work: bool = True
    email_scope: str = SHARED_EMAIL_SCOPE


def new_challenge() -> dict:
    challenge = altcha.create_challenge(
        ALGORITHM,
        settings.ALTCHA_COST,
        expires_at=clock.now() + CHALLENGE_LIFETIME,
        hmac_secret=settings.ALTCHA_HMAC_KEY,
    )
    return challenge.to_dict()


def verify(payload: str) -> None:
    """Accept a solved, signed, unexpired challenge once; ChallengeFailed otherwise.

    The used nonce is remembered in the shared (database) cache until the challenge
    expires, so one solution cannot be replayed by many requests or processes.
    """
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


def limit_address(request, protection: Protection) -> None:
    ratelimit.enforce(
        protection.scope,
        ratelimit.client_ip(request),
        limit=getattr(settings, protection.per_address_setting),
        period=HOUR,
    )


def check_after_address(
    request, protection: Protection, *, payload: str, email: str = "", ticket: str = ""
) -> None:
    """Steps 2 and 3: the proof-of-work (or, sent without one, the waiting ticket of a
    page without JavaScript), then the limit per target e-mail address."""
    if protection.proof_of_work and settings.ALTCHA_ENABLED:
        if payload or not ticket:
            verify(payload)
        else:
            try:
                noscript.redeem(request, ticket, protection.scope)
            except noscript.TicketRefused as refused:
                raise ChallengeFailed(refused.message) from None
    if protection.per_email_setting and email:
        ratelimit.enforce(
            protection.email_scope,
            email.strip().casefold(),
            limit=getattr(settings, protection.per_email_setting),
            period=DAY,
        )


def protect(
    request, protection: Protection, *, payload: str = "", email: str = "", ticket: str = ""
) -> None:
    """All three steps at once (the API, and pages that check after their form).

    Only pages pass ``ticket`` (the form's ``noscript.FIELD``); the API asks for the
    solution, which any program can compute.
    """
    limit_address(request, protection)
    check_after_address(request, protection, payload=payload, email=email, ticket=ticket)


def widget_context(protection: Protection, request=None) -> dict:
    """What ``core/includes/altcha.html`` needs, with the waiting ticket for ``<noscript>``."""
    enabled = settings.ALTCHA_ENABLED and protection.proof_of_work
    return {
        "enabled": enabled,
        "challenge_url": reverse("api:altcha_challenge"),
        "noscript_field": noscript.FIELD,
        "noscript_ticket": noscript.for_form(request, protection.scope) if enabled else "",
        "noscript_wait_seconds": settings.NOSCRIPT_WAIT_SECONDS,
    }


class ProtectedFormMixin:
    """A public form protected by ``protection``; construct it with ``request=``.

    The address limit counts every submission; the proof-of-work and the e-mail
    limit are checked once the fields are valid. A failed proof-of-work is a form
    error; an exceeded limit raises ``RateLimited`` (the 429 page).
    """

    protection: Protection
    email_field = "email"

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.altcha = widget_context(self.protection, request)

    def clean(self):
        data = super().clean()
        if self.request is None:
            raise RuntimeError("a protected form needs the request")
        limit_address(self.request, self.protection)
        if self.errors:
            return data
        try:
            check_after_address(
                self.request,
                self.protection,
                payload=self.data.get("altcha", ""),
                email=data.get(self.email_field) or "",
                ticket=self.data.get(noscript.FIELD, ""),
            )
        except ChallengeFailed as error:
            raise ValidationError(error.message, code=error.code) from None
        # A ticket accepted is used up: should the page come back, it needs a new one.
        self.altcha = widget_context(self.protection)
        return data
