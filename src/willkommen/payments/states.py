"""The payment state machine: one table, the states XBezahldienste names.

INITIAL → PAYED / CANCELED / FAILED, and nothing after: an edge not listed cannot
happen. An online payment starts INITIAL (``start``); a payment taken at the
counter starts PAYED (``record``), since the money is in the till when it is
written. A refund is not a state: it is a ``Refund`` entry of its own, so what
was paid stays readable beside what was given back.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from willkommen.core.states import TransitionTable


class Status(models.TextChoices):
    INITIAL = "INITIAL", _("open")
    PAYED = "PAYED", _("paid")
    # A context: booking's "cancelled" (an appointment called off) means something else.
    CANCELED = "CANCELED", pgettext_lazy("payment", "cancelled")
    FAILED = "FAILED", _("failed")


class Action(models.TextChoices):
    START = "start", _("online payment started")
    RECORD = "record", _("recorded at the counter")
    PAY = "pay", _("paid")
    CANCEL = "cancel", pgettext_lazy("payment", "cancelled")
    FAIL = "fail", _("failed")


FINAL = frozenset({Status.PAYED, Status.CANCELED, Status.FAILED})

# The action that brings a payment into each state the provider can report.
ACTION_FOR = {Status.PAYED: Action.PAY, Status.CANCELED: Action.CANCEL, Status.FAILED: Action.FAIL}

TABLE = TransitionTable.from_sources(
    "payment",
    {
        Action.PAY: ([Status.INITIAL], Status.PAYED),
        Action.CANCEL: ([Status.INITIAL], Status.CANCELED),
        Action.FAIL: ([Status.INITIAL], Status.FAILED),
    },
    initial={Action.START: Status.INITIAL, Action.RECORD: Status.PAYED},
    message=_("The payment cannot change from its current state."),
)
