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


PLACEHOLDER = "--token--"
_prefixes: dict[tuple[str, str], tuple[str, str]] = {}  # (URL name, language) → around the token


def path(appointment, purpose: str, language: str | None = None) -> str:
    """The link's path in ``language`` (default: the appointment's).

    Reversed once per URL name and language, then the token put in its place: every
    hold and every confirmation mails a link, and ``reverse`` cost more than signing
    the token. A signed token needs no quoting in a path (letters, digits, ``-_:.``).
    """
    name = "booking:confirm" if purpose == CONFIRM else "booking:manage"
    language = language or appointment.language
    around = _prefixes.get((name, language))
    if around is None:
        with translation.override(language):
            reversed_path = reverse(name, kwargs={"token": PLACEHOLDER})
        before, after = reversed_path.split(PLACEHOLDER)
        around = _prefixes[(name, language)] = (before, after)
    return around[0] + make_token(appointment, purpose) + around[1]


def absolute_url(appointment, purpose: str, language: str | None = None) -> str:
    return settings.PUBLIC_BASE_URL + path(appointment, purpose, language)
