"""Writes of the case file: one function per use case, each in one transaction.

One module per concern: ``references`` (case references, access codes, the
status look-up), ``opening``, ``documents``, ``status`` (the transition table's
moves and the receipt), ``casework`` (classification, assignment, notes,
authorities, certificates, access log), ``contact``, ``retention`` and
``history`` (the bulk variant for cases of the past, and its undo). Views and
other apps import from here.
"""

from willkommen.cases.errors import REFUSED, CaseError, ConcurrentChange
from willkommen.cases.services.casework import (
    add_agency_request,
    add_note,
    answer_agency_request,
    assign,
    change_classification,
    issue_interim_certificate,
    log_access,
    log_opened,
)
from willkommen.cases.services.contact import mark_contact_answered, submit_contact_request
from willkommen.cases.services.documents import (
    missing_requirements,
    store_document,
    upload_document,
)
from willkommen.cases.services.history import (
    PastCase,
    check_past_case,
    record_past_cases,
    remove_past_cases,
)
from willkommen.cases.services.opening import OpenedCase, add_family_member, open_case, route
from willkommen.cases.services.references import (
    CASE_PREFIX,
    CONTACT_PREFIX,
    allocate_reference,
    rotate_access_code,
    status_page_link,
    unlock,
)
from willkommen.cases.services.retention import RetentionReport, apply_retention
from willkommen.cases.services.status import change_status, issue_receipt

__all__ = [
    "CASE_PREFIX",
    "CONTACT_PREFIX",
    "REFUSED",
    "CaseError",
    "ConcurrentChange",
    "OpenedCase",
    "PastCase",
    "RetentionReport",
    "add_agency_request",
    "add_family_member",
    "add_note",
    "allocate_reference",
    "answer_agency_request",
    "apply_retention",
    "assign",
    "change_classification",
    "change_status",
    "check_past_case",
    "issue_interim_certificate",
    "issue_receipt",
    "log_access",
    "log_opened",
    "mark_contact_answered",
    "missing_requirements",
    "open_case",
    "record_past_cases",
    "remove_past_cases",
    "rotate_access_code",
    "route",
    "status_page_link",
    "store_document",
    "submit_contact_request",
    "unlock",
    "upload_document",
]
