"""Case figures: received, closed, durations, ages, interim certificates (cases' records)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Exists, Min, OuterRef, Q, Subquery

from willkommen.cases.models import Case, InterimCertificate, Phase, StatusChange
from willkommen.controlling.kpis.scope import (
    AGE_BUCKETS_DAYS,
    Scope,
    quantile,
)
from willkommen.core.i18n import tr

# --- cases ------------------------------------------------------------------------


@dataclass
class CaseTypeRow:
    label: str
    closed: int
    days_median: float | None
    days_p80: float | None


@dataclass
class CaseFigures:
    inflow: int
    closed: int
    backlog: int
    over_norm: int
    backlog_by_team: list[tuple[str, int]]
    backlog_by_status: list[tuple[str, int]]
    age_buckets: list[tuple[tuple[int, int | None], int]]
    processing_by_type: list[CaseTypeRow]
    interim_certificates: int


def case_figures(scope: Scope) -> CaseFigures:
    """Inflow, closings, the backlog at the end of the period, and processing times.

    All from the status history: a case is received at its first status change
    and closed at its first change into a status of the phase "closed". The
    backlog is what was received by the end of the period and not closed by then,
    with the status each case had at that moment.
    """
    # A case closed before the period began counts in none of these figures; leaving
    # those out keeps the work proportional to a period, not to years of history.
    closed_before = StatusChange.objects.filter(
        case=OuterRef("pk"), status__phase=Phase.CLOSED, changed_at__lt=scope.starts_at
    )
    cases = Case.objects.filter(
        scope.filter(location=None, service="case_type__service"),
    ).filter(~Exists(closed_before))
    # Per case, summed up in the database: when it was received (first status), when
    # closed (first closing status) and the status it had at the end of the period.
    before_end = Q(history__changed_at__lt=scope.ends_at)
    last_status = (
        StatusChange.objects.filter(case=OuterRef("pk"), changed_at__lt=scope.ends_at)
        .order_by("-sequence")
        .values("status__internal_name")[:1]
    )
    rows = (
        cases.annotate(
            received=Min("history__changed_at", filter=before_end),
            closed_at_end=Min(
                "history__changed_at", filter=before_end & Q(history__status__phase=Phase.CLOSED)
            ),
            status_at_end=Subquery(last_status),
        )
        .filter(received__isnull=False)
        .values(
            "id",
            "received",
            "closed_at_end",
            "status_at_end",
            "team__name",
            "case_type__norm_days",
            "case_type__service__name",
        )
    )
    info = {row["id"]: row for row in rows}
    opened = {case_id: row["received"] for case_id, row in info.items()}
    closed = {
        case_id: row["closed_at_end"] for case_id, row in info.items() if row["closed_at_end"]
    }
    status_at_end = {case_id: row["status_at_end"] for case_id, row in info.items()}
    start, end = scope.starts_at, scope.ends_at
    inflow = sum(1 for at in opened.values() if at >= start)
    closed_in_period = {case_id: at for case_id, at in closed.items() if at >= start}
    backlog = [case_id for case_id in opened if case_id not in closed]
    ages = {case_id: (end - opened[case_id]).days for case_id in backlog}
    over_norm = sum(
        1
        for case_id in backlog
        if info[case_id]["case_type__norm_days"]
        and ages[case_id] > info[case_id]["case_type__norm_days"]
    )
    buckets = []
    for low, high in AGE_BUCKETS_DAYS:
        buckets.append(
            (
                (low, high),
                sum(1 for age in ages.values() if age >= low and (high is None or age < high)),
            )
        )
    per_type: dict[str, list[float]] = defaultdict(list)
    for case_id, at in closed_in_period.items():
        per_type[tr(info[case_id]["case_type__service__name"])].append(
            (at - opened[case_id]).total_seconds() / 86400
        )
    certificates = InterimCertificate.objects.filter(
        scope.filter(location=None, service="case__case_type__service", team="case__team"),
        issued_on__gte=scope.period.start,
        issued_on__lte=scope.period.end,
    ).count()
    return CaseFigures(
        inflow=inflow,
        closed=len(closed_in_period),
        backlog=len(backlog),
        over_norm=over_norm,
        backlog_by_team=Counter(info[c]["team__name"] or "–" for c in backlog).most_common(),
        backlog_by_status=Counter(status_at_end[c] for c in backlog).most_common(),
        age_buckets=buckets,
        processing_by_type=sorted(
            (
                CaseTypeRow(label, len(days), quantile(days, 0.5), quantile(days, 0.8))
                for label, days in per_type.items()
            ),
            key=lambda row: -row.closed,
        ),
        interim_certificates=certificates,
    )
