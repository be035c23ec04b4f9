"""The kinds of file an office can bring in, one module each.

Every kind reads a row into the entry its app's bulk service takes (``parse``,
which raises ``fields.RowError`` for a bad row), writes a list of them through
that service (``write``, returning the stored rows in the same order) and takes
a batch back through the service's undo (``remove``).
"""

from __future__ import annotations

from dataclasses import dataclass

from willkommen.imports.models import Kind


@dataclass
class Parsed:
    line: int
    entry: object  # what the app's bulk service takes
    source_key: str = ""  # the row's id in the earlier system, if the file has one


def kind_for(kind: str, actor):
    """The reader and writer of ``kind``, with the catalogue looked up once."""
    from willkommen.imports.kinds import appointments, cases, certificates, visits

    modules = {
        Kind.VISITS: visits.VisitRows,
        Kind.APPOINTMENTS: appointments.AppointmentRows,
        Kind.CASES: cases.CaseRows,
        Kind.CERTIFICATES: certificates.CertificateRows,
    }
    return modules[Kind(kind)](actor)


__all__ = ["Parsed", "kind_for"]
