"""Signed links in mails: confirm a hold, manage (cancel, rebook) an appointment.

A link carries the reference, the appointment's ``link_version`` and its purpose,
signed with the secret key. Rebooking and cancelling raise the version, so links
from earlier mails stop working; a forged or altered link fails the signature.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from willkommen.booking.errors import InvalidLink

SALT = "willkommen.booking.link"
CONFIRM = "confirm"
MANAGE = "manage"


def make_token(appointment, purpose: str) -> str:
    return signing.dumps(
        {"r": appointment.reference, "v": appointment.link_version, "p": purpose},
        salt=SALT,
        compress=True,
    )


def read_token(token: str, purpose: str, *, max_age=None) -> tuple[str, int]:
    """(reference, link version) of a valid token; InvalidLink otherwise."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        raise InvalidLink() from None
    if not isinstance(payload, dict) or payload.get("p") != purpose:
        raise InvalidLink()
    reference, version = payload.get("r"), payload.get("v")
    if not isinstance(reference, str) or not isinstance(version, int):
        raise InvalidLink()
    return reference, version


def path(appointment, purpose: str, language: str | None = None) -> str:
    name = "booking:confirm" if purpose == CONFIRM else "booking:manage"
    with translation.override(language or appointment.language):
        return reverse(name, kwargs={"token": make_token(appointment, purpose)})


def absolute_url(appointment, purpose: str, language: str | None = None) -> str:
    return settings.PUBLIC_BASE_URL + path(appointment, purpose, language)
