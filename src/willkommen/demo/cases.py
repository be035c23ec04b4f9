"""Demo cases: a closed history for the forecasts and a few open cases per case type.

Generated, deterministic per seed, marked ``source="demo"``. Written through the
case file's own pieces (references, routing, the checklist copy, document storage)
and along the case type's transition table.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import date, timedelta
from itertools import pairwise

from django.db import transaction

from willkommen.cases import codes, transitions
from willkommen.cases.casetypes import DEMO_CASE_TYPES
from willkommen.cases.models import (
    Assignment,
    Case,
    CaseType,
    Difficulty,
    Person,
    Phase,
    StatusChange,
    Urgency,
)
from willkommen.cases.services.documents import store_document
from willkommen.cases.services.opening import copy_checklist, route
from willkommen.cases.services.references import allocate_reference
from willkommen.cases.uploads import CheckedFile
from willkommen.core import clock
from willkommen.core.pdf import OfficePDF

DEMO_GIVEN = [
    "Amina", "Mehmet", "Olena", "Rahul", "Lucía", "Chen", "Fatima", "Ivan",
    "Nguyen", "Sara", "Kwame", "Ana", "Yusuf", "Mariam", "Dmytro", "Priya",
]  # fmt: skip
DEMO_FAMILY = [
    "Haddad", "Yılmaz", "Kovalenko", "Sharma", "García", "Wang", "Okafor", "Petrov",
    "Tran", "Rossi", "Mensah", "Silva", "Demir", "Nasser", "Bondarenko", "Iyer",
]  # fmt: skip
DEMO_NATIONALITY = [
    "syrisch", "türkisch", "ukrainisch", "indisch", "kolumbianisch",
    "chinesisch", "nigerianisch", "serbisch", "vietnamesisch", "brasilianisch",
]  # fmt: skip
URGENCY_FACTOR = {Urgency.NORMAL: 1.0, Urgency.HIGH: 0.75, Urgency.CRITICAL: 0.5}
DIFFICULTY_FACTOR = {Difficulty.SIMPLE: 0.7, Difficulty.NORMAL: 1.0, Difficulty.COMPLEX: 1.5}


@transaction.atomic
def load_demo_cases(seed: int = 2026) -> dict[str, int]:
    """Closed history for forecasts plus a few open cases per type; deterministic per seed.

    Idempotent: demo cases are marked (source "demo") and made only once.
    """
    if Case.objects.filter(source="demo").exists():
        return {"closed": 0, "open": 0}
    rng = random.Random(seed)
    now = clock.now()
    counts = {"closed": 0, "open": 0}
    sample_pdf = demo_pdf()
    with open(DEMO_CASE_TYPES, encoding="utf-8") as handle:
        sizes = {r["service"]: r.get("demo_history", 0) for r in json.load(handle)["case_types"]}
    for case_type in CaseType.objects.select_related("service__team").order_by("service__slug"):
        statuses = list(case_type.statuses.order_by("position"))
        for _index in range(sizes.get(case_type.service.slug, 20)):
            urgency = rng.choices(list(Urgency), weights=[75, 20, 5])[0]
            difficulty = rng.choices(list(Difficulty), weights=[30, 50, 20])[0]
            days = case_type.norm_days * URGENCY_FACTOR[urgency] * DIFFICULTY_FACTOR[difficulty]
            days *= rng.lognormvariate(0, 0.35)
            closed_at = now - timedelta(days=rng.uniform(3, 600), hours=rng.uniform(0, 8))
            opened_at = closed_at - timedelta(days=max(days, 0.5))
            path = [s for s in statuses if not s.skippable or rng.random() < 0.6]
            demo_case(case_type, rng, opened_at, urgency, difficulty, path, closed_at)
            counts["closed"] += 1
        for open_index in range(3):
            opened_at = now - timedelta(days=rng.uniform(1, case_type.norm_days * 1.3))
            upto = rng.randint(1, max(1, len(statuses) - 2))
            path = statuses[:upto]
            case = demo_case(
                case_type, rng, opened_at, Urgency.NORMAL, Difficulty.NORMAL, path, None
            )
            # Past "complete", a case has every required document; before, only some.
            required = list(case.requirements.filter(required=True))
            complete = any(s.phase == Phase.COMPLETE for s in path)
            for requirement in required if complete else required[: 1 + open_index]:
                store_document(case, requirement, sample_pdf, None, True)
            counts["open"] += 1
    return counts


def demo_pdf() -> CheckedFile:
    pdf = OfficePDF("Beispieldokument")
    pdf.paragraph("Beispieldokument der Demo-Daten. / Sample document of the demo data.")
    content = pdf.render()
    return CheckedFile(content, "pdf", hashlib.sha256(content).hexdigest(), 1, None,
                       "beispiel.pdf", "not_configured")  # fmt: skip


def demo_case(case_type, rng, opened_at, urgency, difficulty, path, closed_at) -> Case:
    """A case that went along ``path`` (statuses); every step is an edge of the table."""
    statuses = list(case_type.statuses.all())
    if path[0] != transitions.first_status(statuses):
        raise ValueError("a demo case starts in its case type's first status")
    for current, following in pairwise(path):
        transitions.check_move(current, following, statuses)
    service = case_type.service
    reference = allocate_reference(year=opened_at.astimezone(clock.office_time_zone()).year)
    case = Case.objects.create(
        reference=reference,
        case_type=case_type,
        status=path[-1],
        urgency=urgency,
        difficulty=difficulty,
        team=route(service, urgency, difficulty),
        contact_email=f"demo{rng.randint(1000, 9999)}@example.org",
        access_code_hash=codes.hash_code(reference, codes.new_access_code()),
        opened_at=opened_at,
        completed_at=opened_at + timedelta(days=2) if len(path) > 2 else None,
        closed_at=closed_at,
        delete_after=(closed_at.date() + timedelta(days=case_type.retention_days))
        if closed_at
        else None,
        permit_expires_on=(opened_at + timedelta(days=rng.randint(10, 120))).date(),
        source="demo",
    )
    Person.objects.create(
        case=case,
        given_name=rng.choice(DEMO_GIVEN),
        family_name=rng.choice(DEMO_FAMILY),
        date_of_birth=date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        nationality=rng.choice(DEMO_NATIONALITY),
        email=case.contact_email,
    )
    end = closed_at or clock.now()
    step = (end - opened_at) / max(len(path), 1)
    StatusChange.objects.bulk_create(
        StatusChange(case=case, sequence=i + 1, status=s, changed_at=opened_at + step * i)
        for i, s in enumerate(path)
    )
    Assignment.objects.create(case=case, team=case.team, reason="routing", assigned_at=opened_at)
    if closed_at is None:
        copy_checklist(case, service)
    return case
