"""The complaint's state machine: one table; an edge not listed cannot happen.

received → acknowledged → in progress → answered → closed. The acknowledgement is
automatic when the person gave an e-mail address; otherwise staff acknowledge (e.g.
told on the phone) or start work at once. A complaint nobody can be answered to
(anonymous) is closed from in progress; a closed one may be reopened (in progress).
"""

from django.utils.translation import gettext_lazy as _

from willkommen.complaints.models import Action, Status
from willkommen.core.states import TransitionTable

TABLE = TransitionTable.from_sources(
    "complaint",
    {
        Action.ACKNOWLEDGE: ([Status.RECEIVED], Status.ACKNOWLEDGED),
        Action.START: ([Status.RECEIVED, Status.ACKNOWLEDGED], Status.IN_PROGRESS),
        Action.ANSWER: ([Status.ACKNOWLEDGED, Status.IN_PROGRESS], Status.ANSWERED),
        Action.CLOSE: ([Status.IN_PROGRESS, Status.ANSWERED], Status.CLOSED),
        Action.REOPEN: ([Status.CLOSED], Status.IN_PROGRESS),
    },
    initial={Action.SUBMIT: Status.RECEIVED},
    message=_("This complaint is not in a state that allows this."),
)

# The actions staff take with a button; ANSWER happens by sending an answer.
BUTTON_ACTIONS = (Action.ACKNOWLEDGE, Action.START, Action.CLOSE, Action.REOPEN)
