"""The state machines of booking: one ``core.states.TransitionTable`` each.

Every write of ``Appointment.status`` and ``EmergencyRequest.status`` goes through
``services.transitions``: it asks the table on the row locked in the transaction
and appends the event (from, to, time, actor) beside the change (invariant 3).
Rebooking moves a confirmed appointment to confirmed, so it is an edge of the table
and recorded like every other. Assigning a clerk and the note for staff change no
status: they are working notes of the day plan, not in the table nor the history.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.core.states import TransitionTable


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


APPOINTMENT = TransitionTable.from_sources(
    "appointment",
    {
        Action.CONFIRM: ({Status.HELD}, Status.CONFIRMED),
        Action.EXPIRE: ({Status.HELD}, Status.EXPIRED),
        Action.CANCEL: ({Status.HELD, Status.CONFIRMED}, Status.CANCELLED),
        Action.REBOOK: ({Status.CONFIRMED}, Status.CONFIRMED),
        Action.CHECK_IN: ({Status.CONFIRMED, Status.NO_SHOW}, Status.CHECKED_IN),
        Action.NO_SHOW: ({Status.CONFIRMED}, Status.NO_SHOW),
    },
    message=_("This is not possible in the appointment's current state."),
)
# The only ways into the machine: a new appointment starts held (online, it needs the
# applicant's confirmation) or confirmed (booked by staff, from the emergency quota or
# by a request window's allocation). Both are recorded as Action.CREATE.
INITIAL_STATUSES = frozenset({Status.HELD, Status.CONFIRMED})


class RequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class RequestAction(models.TextChoices):
    SUBMIT = "submit", _("submitted")
    ACCEPT = "accept", _("accepted")
    REJECT = "reject", _("rejected")


EMERGENCY_REQUEST = TransitionTable.from_sources(
    "emergency request",
    {
        RequestAction.ACCEPT: ({RequestStatus.OPEN}, RequestStatus.ACCEPTED),
        RequestAction.REJECT: ({RequestStatus.OPEN}, RequestStatus.REJECTED),
    },
    initial={RequestAction.SUBMIT: RequestStatus.OPEN},
    message=_("This request has already been handled."),
)
