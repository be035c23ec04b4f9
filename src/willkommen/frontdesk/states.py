"""The visit's state machine: the one transition table, enforced on every write.

Every change of ``Visit.status`` goes through ``services.visits.transition``,
which looks the edge up in ``TABLE`` (core's ``TransitionTable``), checks it
inside the transaction (on the locked row) and appends a ``VisitTransition``.
The table is the documentation: an edge that is not listed here cannot happen.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from willkommen.core.states import TransitionNotAllowed, TransitionTable


class Status(models.TextChoices):
    WAITING = "waiting", _("waiting")
    CALLED = "called", _("called")
    SERVING = "serving", _("being served")
    ON_HOLD = "on_hold", _("on hold")
    TRANSFERRED = "transferred", _("transferred, waiting")
    DONE = "done", pgettext_lazy("visit status", "done")
    NO_SHOW = "no_show", _("did not come when called")
    LEFT = "left", _("left")


class Action(models.TextChoices):
    ISSUE = "issue", _("ticket issued")
    SETTLE = "settle", _("settled at reception")
    CALL = "call", _("called")
    RECALL = "recall", _("called again")
    REQUEUE = "requeue", _("back to the queue")
    NO_SHOW = "no_show", _("no-show")
    START = "start", _("serving started")
    HOLD = "hold", _("put on hold")
    RESUME = "resume", _("resumed")
    TRANSFER = "transfer", _("transferred")
    FINISH = "finish", _("finished")
    LEAVE = "leave", _("left")
    REPRIORITISE = "reprioritise", _("priority changed")
    REASSIGN = "reassign", _("moved to another queue")


# States a new visit may start in: waiting for a clerk, or settled at the desk at once.
INITIAL: dict[Action, Status] = {
    Action.ISSUE: Status.WAITING,
    Action.SETTLE: Status.DONE,
}

# (from, action) -> to. "Any waiting state → left" lists each waiting state.
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.WAITING, Action.CALL): Status.CALLED,
    (Status.TRANSFERRED, Action.CALL): Status.CALLED,
    (Status.ON_HOLD, Action.CALL): Status.CALLED,
    (Status.CALLED, Action.RECALL): Status.CALLED,
    (Status.CALLED, Action.REQUEUE): Status.WAITING,
    (Status.CALLED, Action.NO_SHOW): Status.NO_SHOW,
    (Status.CALLED, Action.START): Status.SERVING,
    (Status.SERVING, Action.HOLD): Status.ON_HOLD,
    (Status.ON_HOLD, Action.RESUME): Status.SERVING,
    (Status.SERVING, Action.TRANSFER): Status.TRANSFERRED,
    (Status.SERVING, Action.FINISH): Status.DONE,
    (Status.WAITING, Action.LEAVE): Status.LEFT,
    (Status.TRANSFERRED, Action.LEAVE): Status.LEFT,
    (Status.ON_HOLD, Action.LEAVE): Status.LEFT,
    # Team leads steer the queue; recorded like every change, the state stays.
    (Status.WAITING, Action.REPRIORITISE): Status.WAITING,
    (Status.TRANSFERRED, Action.REPRIORITISE): Status.TRANSFERRED,
    (Status.WAITING, Action.REASSIGN): Status.WAITING,
    (Status.TRANSFERRED, Action.REASSIGN): Status.TRANSFERRED,
}

TABLE = TransitionTable(name="visit", edges=TRANSITIONS, initial=INITIAL)

# In a queue, waiting to be called ("call next" picks from these).
QUEUED = frozenset({Status.WAITING, Status.TRANSFERRED})
# At a counter with a clerk: a clerk has at most one visit in these at a time.
AT_COUNTER = frozenset({Status.CALLED, Status.SERVING})
TERMINAL = frozenset({Status.DONE, Status.NO_SHOW, Status.LEFT})


__all__ = ["AT_COUNTER", "QUEUED", "TABLE", "TERMINAL", "Action", "Status", "TransitionNotAllowed"]
