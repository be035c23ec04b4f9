"""Writes of the front desk: one function per use case, each in one transaction.

- ``visits``: what all share: errors, the locked visit, ``transition`` (the one
  way a status changes) and ``record`` (the one way its event is appended);
- ``reception``: tickets, check-in, short matters, the document check, left;
- ``workstation``: a clerk's sign-in at a counter and the counter's queue;
- ``calls``: call next, recall, requeue, no-show, start, hold, resume, transfer, finish;
- ``team_lead``: reprioritise and reassign waiting visitors;
- ``sweeps``: appointments nobody came for, days left open;
- ``history``: the bulk variant for visits of past days (demo, imports), and its undo.

Ticket numbering lives in ``frontdesk.tickets``. Views and other apps import from
here; the modules are the places to read.
"""

from willkommen.frontdesk.services.calls import (
    call_next,
    call_visit,
    finish,
    hold,
    recall,
    record_no_show,
    requeue,
    resume,
    start,
    transfer,
)
from willkommen.frontdesk.services.history import (
    PastVisit,
    record_past_visits,
    remove_past_visits,
)
from willkommen.frontdesk.services.reception import (
    check_in,
    issue_ticket,
    record_document_check,
    record_left,
    settle_at_reception,
)
from willkommen.frontdesk.services.sweeps import close_past_days, mark_no_shows
from willkommen.frontdesk.services.team_lead import reassign, reprioritise
from willkommen.frontdesk.services.visits import (
    FrontdeskError,
    QueueEmpty,
    TransitionNotAllowed,
    WorkItemLine,
    priority_rank,
)
from willkommen.frontdesk.services.workstation import (
    current_session,
    queue_for,
    sign_in,
    sign_out,
)

__all__ = [
    "FrontdeskError",
    "PastVisit",
    "QueueEmpty",
    "TransitionNotAllowed",
    "WorkItemLine",
    "call_next",
    "call_visit",
    "check_in",
    "close_past_days",
    "current_session",
    "finish",
    "hold",
    "issue_ticket",
    "mark_no_shows",
    "priority_rank",
    "queue_for",
    "reassign",
    "recall",
    "record_document_check",
    "record_left",
    "record_no_show",
    "record_past_visits",
    "remove_past_visits",
    "reprioritise",
    "requeue",
    "resume",
    "settle_at_reception",
    "sign_in",
    "sign_out",
    "start",
    "transfer",
]
