"""One test per edge of the table, and the edges that are not there."""

import pytest

from willkommen.complaints.models import Action, Status
from willkommen.complaints.states import TABLE
from willkommen.core.states import TransitionNotAllowed

EDGES = [
    (Status.RECEIVED, Action.ACKNOWLEDGE, Status.ACKNOWLEDGED),
    (Status.RECEIVED, Action.START, Status.IN_PROGRESS),
    (Status.ACKNOWLEDGED, Action.START, Status.IN_PROGRESS),
    (Status.ACKNOWLEDGED, Action.ANSWER, Status.ANSWERED),
    (Status.IN_PROGRESS, Action.ANSWER, Status.ANSWERED),
    (Status.IN_PROGRESS, Action.CLOSE, Status.CLOSED),
    (Status.ANSWERED, Action.CLOSE, Status.CLOSED),
    (Status.CLOSED, Action.REOPEN, Status.IN_PROGRESS),
]


@pytest.mark.parametrize(("source", "action", "target"), EDGES)
def test_each_edge(source, action, target):
    assert TABLE.target(source, action) == target


def test_no_other_edge():
    listed = {(s, a) for s, a, _t in EDGES}
    for status in Status.values:
        for action in Action.values:
            if (status, action) not in listed:
                with pytest.raises(TransitionNotAllowed):
                    TABLE.target(status, action)


def test_a_complaint_starts_as_received():
    assert TABLE.start(Action.SUBMIT) == Status.RECEIVED
