"""Retention: closed cases lose their personal data once their deletion date has passed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.core.files.storage import default_storage
from django.db import transaction

from willkommen.cases.models import (
    Case,
    ClassificationChange,
    ContactRequest,
    Job,
    Receipt,
    Representative,
    StatusChange,
)
from willkommen.core import clock
from willkommen.core.outbox import delete_sent_mails

logger = logging.getLogger(__name__)


@dataclass
class RetentionReport:
    cases: list[str]
    documents: int
    contact_requests: int


def apply_retention(today: date | None = None, *, dry_run: bool = False) -> RetentionReport:
    """Anonymise closed cases whose deletion date has passed, delete their documents.

    The case row stays (reference, type, dates, status history) so that KPIs
    and forecasts keep their figures; everything personal goes: persons,
    representative, job, notes, documents (files and rows), agency answers,
    the access log, the receipt PDF, the sent mails and the contact address.
    """
    today = today or clock.office_today()
    due = Case.objects.filter(
        closed_at__isnull=False, delete_after__lt=today, anonymised_at__isnull=True
    )
    contact_due = ContactRequest.objects.filter(delete_after__lt=today)
    report = RetentionReport(cases=[], documents=0, contact_requests=contact_due.count())
    for case in due.order_by("delete_after", "pk"):
        files = list(case.documents.values_list("stored_name", flat=True))
        report.cases.append(case.reference)
        report.documents += len(files)
        if dry_run:
            continue
        with transaction.atomic():
            case.persons.all().delete()
            Representative.objects.filter(case=case).delete()
            Job.objects.filter(case=case).delete()
            case.notes.all().delete()
            case.documents.all().delete()
            case.access_log.all().delete()
            case.agency_requests.update(answer="", subject="")
            StatusChange.objects.filter(case=case).redact(note="")
            ClassificationChange.objects.filter(case=case).update(reason="")
            Receipt.objects.filter(case=case).update(pdf=b"", mail=None)
            delete_sent_mails(f"case:{case.pk}:")
            Case.objects.filter(pk=case.pk).update(
                contact_email="", access_code_hash="", anonymised_at=clock.now()
            )
            transaction.on_commit(lambda names=files: _delete_files(names))
    if not dry_run:
        for contact_id in contact_due.values_list("pk", flat=True):
            delete_sent_mails(f"contact:{contact_id}:")
        contact_due.delete()
    return report


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("could not delete document file %s", name)
