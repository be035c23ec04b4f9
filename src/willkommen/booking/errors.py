"""The domain errors of booking: each carries a message for the person in front of it."""

from django.utils.translation import gettext_lazy as _

from willkommen.core.states import TransitionNotAllowed


class BookingError(Exception):
    """Base of every refused booking operation; ``message`` is translated, ``code`` stable."""

    code = "booking_error"
    default_message = _("This is not possible.")
    http_status = 400

    def __init__(self, message=None, **context):
        self.message = message or self.default_message
        self.context = context
        super().__init__(str(self.message))


class SlotTaken(BookingError):
    code = "slot_taken"
    default_message = _("Sorry, this time has just been taken. Please choose another one.")
    http_status = 409


class SlotUnavailable(BookingError):
    code = "slot_unavailable"
    default_message = _("This time cannot be booked.")
    # Well-formed but against the opening hours: a conflict with the rules, not bad syntax.
    http_status = 409


class AlreadyBooked(BookingError):
    code = "already_booked"
    default_message = _(
        "There is already an active appointment for this person and service. "
        "Please cancel or rebook it with the link in your confirmation e-mail."
    )
    http_status = 409


class HoldExpired(BookingError):
    code = "hold_expired"
    default_message = _("The time reserved for you has run out. Please choose a time again.")
    http_status = 410


class InvalidLink(BookingError):
    code = "invalid_link"
    default_message = _("This link is not valid (any more). Please use the latest e-mail.")
    http_status = 404


class WrongDay(BookingError):
    code = "wrong_day"
    default_message = _("This appointment is not today.")
    http_status = 409


class TooEarly(BookingError):
    code = "too_early"
    default_message = _("The appointment has not started yet.")
    http_status = 409


class InvalidRequest(BookingError):
    """Input that passed the form but not the rules (past date, too many persons, …)."""

    code = "invalid_request"
    http_status = 409


# What the pages and the API answer with the error's message and status: booking's
# own refusals, and an edge its state tables refuse (core.states, 409). Both carry
# ``code``, ``message`` and ``http_status``.
REFUSED = (BookingError, TransitionNotAllowed)
