"""Case files (E-Akte): case types and their status order, cases, documents, receipts.

The status history is append-only; a case's current status is its latest
change (``Case.status`` is a copy kept in the same transaction, used to refuse
a second concurrent change). Which moves are allowed lives in
``cases/transitions.py`` and nowhere else.

One module per aggregate: ``casetypes`` (configuration), ``cases`` (the case and
its persons), ``documents``, ``history`` (what happened on a case), ``contact``.
"""

from willkommen.cases.models.cases import (
    Case,
    CaseQuerySet,
    Job,
    Person,
    ReferenceCounter,
    Representative,
)
from willkommen.cases.models.casetypes import (
    CaseType,
    Difficulty,
    Phase,
    RoutingRule,
    StatusType,
    Urgency,
    validate_status_order,
)
from willkommen.cases.models.contact import ContactRequest, ContactTopic
from willkommen.cases.models.documents import Document, Receipt, Requirement
from willkommen.cases.models.history import (
    AccessLogEntry,
    AgencyRequest,
    Assignment,
    ClassificationChange,
    InterimCertificate,
    Note,
    StatusChange,
)

__all__ = [
    "AccessLogEntry",
    "AgencyRequest",
    "Assignment",
    "Case",
    "CaseQuerySet",
    "CaseType",
    "ClassificationChange",
    "ContactRequest",
    "ContactTopic",
    "Difficulty",
    "Document",
    "InterimCertificate",
    "Job",
    "Note",
    "Person",
    "Phase",
    "Receipt",
    "ReferenceCounter",
    "Representative",
    "Requirement",
    "RoutingRule",
    "StatusChange",
    "StatusType",
    "Urgency",
    "validate_status_order",
]
