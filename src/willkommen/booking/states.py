"""The state machines of booking: one transition table each, enforced on every write.

``services`` never assigns ``status`` directly; it calls ``transition`` (which
checks the table and writes the event in the same transaction). Rebooking and
staff notes are actions without a status change; they still go through the
table so that every change of an appointment is recorded (invariant 3).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.booking.errors import TransitionNotAllowed


class Status(models.TextChoices):
    HELD = "held", _("held, waiting for confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("expired unconfirmed")
    CHECKED_IN = "checked_in", _("checked in")
    NO_SHOW = "no_show", _("did not appear")


# Statuses that occupy capacity and count as "the active appointment".
ACTIVE = frozenset({Status.HELD, Status.CONFIRMED})


class Action(models.TextChoices):
    CREATE = "create", _("created")
    CONFIRM = "confirm", _("confirmed")
    EXPIRE = "expire", _("expired")
    CANCEL = "cancel", _("cancelled")
    REBOOK = "rebook", _("moved to another time")
    CHECK_IN = "check_in", _("checked in")
    NO_SHOW = "no_show", _("recorded as no-show")


# action -> (statuses it may start from, status it leads to)
APPOINTMENT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.CONFIRM: (frozenset({Status.HELD}), Status.CONFIRMED),
    Action.EXPIRE: (frozenset({Status.HELD}), Status.EXPIRED),
    Action.CANCEL: (frozenset({Status.HELD, Status.CONFIRMED}), Status.CANCELLED),
    Action.REBOOK: (frozenset({Status.CONFIRMED}), Status.CONFIRMED),
    Action.CHECK_IN: (frozenset({Status.CONFIRMED, Status.NO_SHOW}), Status.CHECKED_IN),
    Action.NO_SHOW: (frozenset({Status.CONFIRMED}), Status.NO_SHOW),
}
# The only way into the machine: a new appointment starts held (online, needs the
# applicant's confirmation) or confirmed (booked by staff or from the emergency quota).
INITIAL_STATUSES = frozenset({Status.HELD, Status.CONFIRMED})


def target_of(table: dict, action: str, current: str) -> str:
    """The status ``action`` leads to from ``current`` in ``table``; else TransitionNotAllowed."""
    try:
        sources, target = table[action]
    except KeyError:
        raise TransitionNotAllowed(action=action, current=current) from None
    if current not in sources:
        raise TransitionNotAllowed(action=action, current=current)
    return target


class RequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class RequestAction(models.TextChoices):
    SUBMIT = "submit", _("submitted")
    ACCEPT = "accept", _("accepted")
    REJECT = "reject", _("rejected")


EMERGENCY_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    RequestAction.ACCEPT: (frozenset({RequestStatus.OPEN}), RequestStatus.ACCEPTED),
    RequestAction.REJECT: (frozenset({RequestStatus.OPEN}), RequestStatus.REJECTED),
}
