"""A submission's way through the intake: one transition table.

An edge not listed cannot happen. ``announced`` is where the callback and the
poller put a submission; taking it either opens the case (``accepting``) or
refuses it (``rejecting``), in the same transaction as the case; the event sent
to FIT-Connect then closes it (``accepted`` / ``rejected``). The two "…ing" states
are the retry queue: a crash between the case and the event leaves the row there,
and the next poll sends the event again, with the same ``jti``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.core.states import TransitionTable


class SubmissionState(models.TextChoices):
    ANNOUNCED = "announced", _("announced, not yet taken")
    ACCEPTING = "accepting", _("case opened, accept event due")
    ACCEPTED = "accepted", _("accepted")
    REJECTING = "rejecting", _("refused, reject event due")
    REJECTED = "rejected", _("rejected")


class Action(models.TextChoices):
    ANNOUNCE = "announce", _("announced")
    OPEN_CASE = "open_case", _("case opened")
    REFUSE = "refuse", _("refused")
    EVENT_SENT = "event_sent", _("event delivered")


S = SubmissionState
TABLE = TransitionTable(
    name="fitconnect submission",
    edges={
        (S.ANNOUNCED.value, Action.OPEN_CASE.value): S.ACCEPTING.value,
        (S.ANNOUNCED.value, Action.REFUSE.value): S.REJECTING.value,
        # Delivering the event leads from each "…ing" state to its own end.
        (S.ACCEPTING.value, Action.EVENT_SENT.value): S.ACCEPTED.value,
        (S.REJECTING.value, Action.EVENT_SENT.value): S.REJECTED.value,
    },
    initial={Action.ANNOUNCE.value: S.ANNOUNCED.value},
)
