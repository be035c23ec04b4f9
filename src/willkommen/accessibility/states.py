"""The barrier report's state machine: one table; an edge not listed cannot happen.

new → in progress → answered → closed; a report may be answered or closed straight
from new (a one-line fix), and an answered or closed one reopened (the barrier is
still there).
"""

from django.utils.translation import gettext_lazy as _

from willkommen.accessibility.models import ReportAction as Action
from willkommen.accessibility.models import ReportStatus as Status
from willkommen.core.states import TransitionTable

TABLE = TransitionTable.from_sources(
    "barrier report",
    {
        Action.START: ([Status.NEW], Status.IN_PROGRESS),
        Action.ANSWER: ([Status.NEW, Status.IN_PROGRESS], Status.ANSWERED),
        Action.CLOSE: ([Status.NEW, Status.IN_PROGRESS, Status.ANSWERED], Status.CLOSED),
        Action.REOPEN: ([Status.ANSWERED, Status.CLOSED], Status.IN_PROGRESS),
    },
    initial={Action.SUBMIT: Status.NEW},
    message=_("This report is not in a state that allows this."),
)
