"""Fairness before a hold: the public-form protection of core, with booking's limits.

Holds and request-window registrations are limited per client address and per
e-mail address (``BOOKING_HOLDS_PER_*``) and need an ALTCHA solution; emergency
requests use the limits every public form shares. See ``core/protection.py``.
"""

from django.conf import settings

from willkommen.booking.errors import BookingError
from willkommen.core import protection as core_protection
from willkommen.core.protection import Protection

HOLD = Protection(
    scope="booking-hold-ip",
    per_address_setting="BOOKING_HOLDS_PER_IP_PER_HOUR",
    per_email_setting="BOOKING_HOLDS_PER_EMAIL_PER_DAY",
    email_scope="booking-hold-email",
)
# Confirm, cancel, rebook: the token is the proof, so no proof-of-work.
LINK_ACTION = Protection(
    scope="booking-link-ip",
    per_address_setting="BOOKING_LINK_ACTIONS_PER_IP_PER_HOUR",
    proof_of_work=False,
)
EMERGENCY = Protection(
    scope="emergency-request-ip",
    per_address_setting="PUBLIC_FORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR",
    per_email_setting="PUBLIC_FORM_SUBMISSIONS_PER_EMAIL_PER_DAY",
)


class ChallengeFailed(BookingError):
    code = core_protection.ChallengeFailed.code
    default_message = core_protection.ChallengeFailed.default_message
    http_status = 400


def hold_minutes() -> int:
    return settings.BOOKING_HOLD_MINUTES


def check_hold(request, payload: str, email: str, ticket: str = "") -> None:
    """Everything that must pass before an online hold (``core.protection.protect``);
    ``ticket`` is the waiting ticket of a page sent without JavaScript."""
    try:
        core_protection.protect(request, HOLD, payload=payload, email=email, ticket=ticket)
    except core_protection.ChallengeFailed as error:
        raise ChallengeFailed(error.message) from None


def check_link_action(request) -> None:
    core_protection.protect(request, LINK_ACTION)


def widget_context(request=None) -> dict:
    return core_protection.widget_context(HOLD, request)
