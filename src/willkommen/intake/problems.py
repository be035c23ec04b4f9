"""Why we refuse a submission: the problem types of FIT-Connect's reject-submission event.

The URIs follow FITKO's published list (``…/events/problems/<name>``); re-check a
name against the current FIT-Connect documentation before going live. A refusal
carries one ``Problem``; the reject event lists it, the submission row keeps it
for staff.
"""

from __future__ import annotations

from dataclasses import dataclass

PROBLEM_BASE = "https://schema.fitko.de/fit-connect/events/problems/"


@dataclass(frozen=True)
class ProblemType:
    name: str
    title: str  # FIT-Connect's titles are German

    @property
    def uri(self) -> str:
        return PROBLEM_BASE + self.name


ENCRYPTION_ISSUE = ProblemType("encryption-issue", "Entschlüsselungs-Fehler")
SYNTAX_VIOLATION = ProblemType("syntax-violation", "Syntax-Fehler")
SCHEMA_VIOLATION = ProblemType("schema-violation", "Schema-Prüfung fehlgeschlagen")
HASH_MISMATCH = ProblemType("hash-mismatch", "Prüfsumme stimmt nicht")
ATTACHMENTS_MISMATCH = ProblemType("attachments-mismatch", "Fehlerhafte Anlagen-Liste")
MISSING_DATA = ProblemType("missing-data", "Fachdaten fehlen")
DATA_SCHEMA_VIOLATION = ProblemType(
    "data-schema-violation", "Schema-Prüfung der Fachdaten fehlgeschlagen"
)
SERVICE_MISMATCH = ProblemType("service-mismatch", "Leistung nicht zugeordnet")
INVALID_ATTACHMENT = ProblemType("invalid-attachment-content", "Anlage abgewiesen")
TECHNICAL_ERROR = ProblemType("technical-error", "Technischer Fehler")

_BY_URI = {
    p.uri: p
    for p in (
        ENCRYPTION_ISSUE,
        SYNTAX_VIOLATION,
        SCHEMA_VIOLATION,
        HASH_MISMATCH,
        ATTACHMENTS_MISMATCH,
        MISSING_DATA,
        DATA_SCHEMA_VIOLATION,
        SERVICE_MISMATCH,
        INVALID_ATTACHMENT,
        TECHNICAL_ERROR,
    )
}


def title_of(uri: str) -> str:
    return _BY_URI[uri].title if uri in _BY_URI else ""


class Refusal(Exception):
    """A submission we cannot accept: it is rejected with this problem and kept for staff."""

    def __init__(self, problem: ProblemType, detail: str, instance: str = "submission"):
        self.problem = problem
        self.detail = detail
        self.instance = instance
        super().__init__(f"{problem.name}: {detail}")

    def as_event_problem(self) -> dict:
        return {
            "type": self.problem.uri,
            "title": self.problem.title,
            "detail": self.detail,
            "instance": self.instance,
        }
