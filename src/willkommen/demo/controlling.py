"""Example staffing tasks and parameters (clearly marked as examples)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from willkommen.catalog.models import Service
from willkommen.controlling.models import StaffingParameters
from willkommen.controlling.services import import_tasks
from willkommen.controlling.staffing import parse_task_csv

TASKS = Path(__file__).resolve().parent / "data" / "staffing_tasks.csv"


@transaction.atomic
def load() -> dict:
    rows = parse_task_csv(TASKS.read_bytes())
    # The examples name the demo catalogue's services; link those that exist here.
    known = set(Service.objects.values_list("slug", flat=True))
    rows = [replace(row, services=tuple(s for s in row.services if s in known)) for row in rows]
    counts = import_tasks(rows, is_example=True)
    StaffingParameters.objects.update_or_create(
        valid_from=date(2026, 1, 1),
        defaults={
            # 39 h/week x 52 weeks minus leave, holidays and sickness: a typical
            # order of magnitude, NOT an official figure. Offices enter their own.
            "annual_working_minutes": 95_580,
            "distributed_time_percent": Decimal("12.0"),
            "source": "BEISPIELWERT – keine Bemessungsgrundlage; eigene Werte eintragen",
            "is_example": True,
        },
    )
    return counts
