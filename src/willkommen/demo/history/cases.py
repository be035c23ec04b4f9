"""Cases received on office days over the span, with their status history; closed after
about their service norm or still open. References come from cases' own allocator."""

from __future__ import annotations

import math
from datetime import timedelta

from willkommen.accounts.models import Team
from willkommen.cases import codes
from willkommen.cases.models import Case, CaseType, InterimCertificate, Person, StatusChange
from willkommen.cases.services import allocate_reference
from willkommen.core import clock

from .plan import FAMILY, GIVEN, Counts, Plan

BATCH = 2000


def _planned(rng, plan: Plan, locations, case_types, now) -> list:
    planned = []
    for offset in range(plan.days, 0, -1):
        opened = now - timedelta(days=offset)
        if opened.weekday() >= 5:
            continue
        for _n in range(round(plan.cases_per_day * len(locations) * rng.uniform(0.7, 1.3))):
            planned.append(
                (rng.choice(case_types), opened + timedelta(minutes=rng.uniform(0, 480)))
            )
    return planned


def generate(rng, plan: Plan, locations, user, counts: Counts) -> None:
    case_types = list(
        CaseType.objects.filter(is_active=True).select_related("service").order_by("pk")
    )
    if not case_types:
        return
    statuses = {ct.pk: list(ct.statuses.order_by("position")) for ct in case_types}
    case_types = [ct for ct in case_types if len(statuses[ct.pk]) >= 2]
    now = clock.now()
    teams = {t.pk: t for t in Team.objects.all()}
    planned = _planned(rng, plan, locations, case_types, now)
    if not planned:
        return
    by_year: dict[int, list] = {}
    for item in planned:
        by_year.setdefault(item[1].year, []).append(item)
    cases, changes, persons, certificates = [], [], [], []
    for year, items in sorted(by_year.items()):
        last = int(allocate_reference(year=year, count=len(items)).rsplit("-", 1)[1])
        for number, (case_type, opened_at) in enumerate(items, start=last - len(items) + 1):
            path = statuses[case_type.pk]
            length = timedelta(days=max(1.0, case_type.norm_days * rng.lognormvariate(0, 0.45)))
            closes_at = opened_at + length
            closed = closes_at < now
            if closed:
                reached = path
            else:
                share = (now - opened_at) / length
                reached = path[: max(1, min(len(path) - 1, math.ceil(share * (len(path) - 1))))]
            reference = f"ABH-{year}-{number:06d}"
            case = Case(
                reference=reference,
                case_type=case_type,
                status=reached[-1],
                team=teams.get(case_type.service.team_id),
                opened_at=opened_at,
                closed_at=closes_at if closed else None,
                completed_at=opened_at + length * 0.15 if len(reached) > 2 else None,
                contact_email=f"demo{rng.randint(1, 10**9)}@example.org",
                access_code_hash=codes.hash_code(reference, codes.new_access_code()),
                permit_expires_on=(opened_at + timedelta(days=rng.randint(20, 200))).date(),
                source="demo-history",
            )
            cases.append(case)
            step = (closes_at - opened_at) / (len(path) - 1)
            for index, status in enumerate(reached):
                changes.append(
                    StatusChange(
                        case=case,
                        sequence=index + 1,
                        status=status,
                        changed_at=opened_at + step * index,
                        actor=user,
                    )
                )
            persons.append(
                Person(
                    case=case,
                    given_name=rng.choice(GIVEN),
                    family_name=rng.choice(FAMILY),
                    email=case.contact_email,
                )
            )
            if rng.random() < 0.05:
                issued = (opened_at + length * 0.5).date()
                if issued < now.date():
                    certificates.append(
                        InterimCertificate(
                            case=case,
                            number=f"FB-{year}-{number:06d}",
                            issued_on=issued,
                            valid_until=issued + timedelta(days=90),
                            issued_by=user,
                        )
                    )
    for rows in (cases, changes, persons, certificates):
        if rows:
            type(rows[0]).objects.bulk_create(rows, batch_size=BATCH)
    counts.cases += len(cases)
