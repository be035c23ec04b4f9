"""Case numbers for the staffing calculation, taken from what was recorded.

A task says which records count (``StaffingTask.counted_as``): counter work
counts the work items recorded for its services; case work counts cases of its
services from the case file — received (first status in the period) or
closed (first closing status in the period) — so that an applicant who came
three times about one case is one case, not three; the interim certificate
counts the certificates entered in case files. Nothing is counted aside
(ARCHITECTURE invariant 3).
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery

from willkommen.cases.models import Case, InterimCertificate, Phase, StatusChange
from willkommen.controlling.kpis import Scope, work_items_by_service
from willkommen.controlling.models import CountedAs


def _first_change(**condition) -> Subquery:
    return Subquery(
        StatusChange.objects.filter(case=OuterRef("pk"), **condition)
        .order_by("changed_at", "sequence")
        .values("changed_at")[:1]
    )


def _cases_by_service(scope: Scope, **condition) -> dict[int, int]:
    """Cases whose first status change (meeting ``condition``) falls in the scope, per service."""
    rows = (
        Case.objects.annotate(at=_first_change(**condition))
        .filter(at__gte=scope.starts_at, at__lt=scope.ends_at)
        .values_list("case_type__service_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def cases_received_by_service(scope: Scope) -> dict[int, int]:
    """Cases received (their first status) in the scope, per service of their case type."""
    return _cases_by_service(scope)


def cases_closed_by_service(scope: Scope) -> dict[int, int]:
    """Cases closed (their first closing status) in the scope, per service."""
    return _cases_by_service(scope, status__phase=Phase.CLOSED)


def certificates_by_service(scope: Scope) -> dict[int, int]:
    """Interim certificates issued in the scope (by their day of issue), per service."""
    rows = (
        InterimCertificate.objects.filter(
            issued_on__gte=scope.period.start, issued_on__lte=scope.period.end
        )
        .values_list("case__case_type__service_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


COUNTS = {
    CountedAs.WORK_ITEMS: work_items_by_service,
    CountedAs.CASES_RECEIVED: cases_received_by_service,
    CountedAs.CASES_CLOSED: cases_closed_by_service,
    CountedAs.INTERIM_CERTIFICATES: certificates_by_service,
}


def case_numbers(tasks, scope: Scope) -> dict[str, int]:
    """Per task linked to services: its case numbers in ``scope``, from the records it names.

    A certificate task without linked services counts every certificate.
    """
    counted: dict[str, dict[int, int]] = {}
    numbers = {}
    for task in tasks:
        linked = [service.pk for service in task.services.all()]
        if task.counted_as not in counted:
            counted[task.counted_as] = COUNTS[task.counted_as](scope)
        counts = counted[task.counted_as]
        if linked:
            numbers[task.code] = sum(counts.get(pk, 0) for pk in linked)
        elif task.counted_as == CountedAs.INTERIM_CERTIFICATES:
            numbers[task.code] = sum(counts.values())
    return numbers
