"""The personal link of an invitation: to the online extension and to booking.

The token names the case and the permit's expiry date, signed with the secret key
(``django.core.signing``), so it cannot be guessed or altered. It works until four
weeks after that expiry, and only while the case still carries that expiry: a new
permit (a new date) ends the links mailed for the old one.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from willkommen.core import clock

SALT = "willkommen.outreach.invitation"
GRACE = timedelta(weeks=4)  # the link outlives the permit by this, for late applications


class InvalidLink(Exception):
    """Forged, altered, expired, or for a permit the case no longer carries."""


def make_token(case) -> str:
    return signing.dumps({"c": case.pk, "x": case.permit_expires_on.isoformat()}, salt=SALT)


def valid_until(expires_on: date) -> date:
    return expires_on + GRACE


def read_token(token: str) -> tuple[int, date]:
    """(case id, permit expiry) of a signed token still in time; InvalidLink otherwise."""
    try:
        payload = signing.loads(token, salt=SALT)
        case_id, expires_on = int(payload["c"]), date.fromisoformat(payload["x"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidLink() from None
    if clock.office_today() > valid_until(expires_on):
        raise InvalidLink()
    return case_id, expires_on


def extension_url(case, language: str | None = None) -> str:
    with translation.override(language or case.language):
        path = reverse("outreach:extension", kwargs={"token": make_token(case)})
    return settings.PUBLIC_BASE_URL + path


def booking_url(service, language: str) -> str:
    """Booking with the extension service chosen (booking reads ``?service=``)."""
    with translation.override(language):
        path = reverse("booking:start")
    return f"{settings.PUBLIC_BASE_URL}{path}?service={service.pk}"


def verification_url(code: str, language: str | None = None) -> str:
    with translation.override(language or translation.get_language()):
        path = reverse("outreach:verify", kwargs={"code": code})
    return settings.PUBLIC_BASE_URL + path
