"""Pages of the front desk, thin: parse the form, call one service, show the answer.

- ``reception``: the desk, walk-in tickets, check-in, short matters, documents;
- ``workstation``: the clerk's counter: sign in, call, serve, transfer, finish;
- ``overview``: the queue overview, the team lead's steering, the public ticket page;
- ``common``: role checks and the helpers that map a service's refusal to a message.
"""

from willkommen.frontdesk.views.overview import overview, reassign, reprioritise, ticket_status
from willkommen.frontdesk.views.reception import (
    check_in,
    documents,
    issue_ticket,
    left,
    reception,
    settle,
    ticket_pdf,
    ticket_print,
)
from willkommen.frontdesk.views.workstation import (
    call_next,
    clerk,
    finish,
    sign_in,
    sign_out,
    transfer,
    visit_action,
)

__all__ = [
    "call_next",
    "check_in",
    "clerk",
    "documents",
    "finish",
    "issue_ticket",
    "left",
    "overview",
    "reassign",
    "reception",
    "reprioritise",
    "settle",
    "sign_in",
    "sign_out",
    "ticket_pdf",
    "ticket_print",
    "ticket_status",
    "transfer",
    "visit_action",
]
