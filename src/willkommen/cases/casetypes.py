"""Loading case types from a file: statuses, routing rules and contact topics.

An office keeps its case types in a JSON file (the demo's is ``demo/case_types.json``,
which ``manage.py load_demo_cases`` loads) and loads it with ``load_case_types_file``.
Loading again updates in place.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from willkommen.accounts.models import Team
from willkommen.cases.models import (
    CaseType,
    ContactTopic,
    RoutingRule,
    StatusType,
    validate_status_order,
)
from willkommen.catalog.models import Service

DEMO_CASE_TYPES = Path(__file__).resolve().parent / "demo" / "case_types.json"


@transaction.atomic
def load_case_types(data: dict) -> dict[str, int]:
    """Create or update case types with their statuses, routing rules and contact topics.

    Statuses are updated in place by code; a status that cases already use is
    never deleted (PROTECT), so an office can reorder texts without losing history.
    Invalid data raises ValidationError and nothing is stored.
    """
    counts = dict.fromkeys(["case_types", "statuses", "routing_rules", "contact_topics"], 0)
    for row in data.get("case_types", []):
        service = Service.objects.filter(slug=row["service"]).first()
        if service is None:
            raise ValidationError(f"unknown service {row['service']!r}")
        case_type, _created = CaseType.objects.update_or_create(
            service=service,
            defaults={"norm_days": row["norm_days"], "retention_days": row["retention_days"]},
        )
        case_type.full_clean()
        # Positions are unique per case type: park the old ones out of the way first.
        case_type.statuses.update(position=F("position") + 1000)
        statuses = []
        for position, status_row in enumerate(row["statuses"]):
            fields = {k: v for k, v in status_row.items() if k != "code"}
            status, _created = StatusType.objects.update_or_create(
                case_type=case_type,
                code=status_row["code"],
                defaults={**fields, "position": position},
            )
            status.full_clean()
            statuses.append(status)
            counts["statuses"] += 1
        validate_status_order(statuses)
        stale = case_type.statuses.exclude(pk__in=[s.pk for s in statuses])
        if stale.exists():
            raise ValidationError(
                f"{row['service']}: statuses {sorted(stale.values_list('code', flat=True))} "
                "are missing from the file"
            )
        counts["case_types"] += 1
    for row in data.get("routing_rules", []):
        RoutingRule.objects.update_or_create(
            service=Service.objects.get(slug=row["service"]),
            urgency=row.get("urgency", ""),
            difficulty=row.get("difficulty", ""),
            defaults={"team": Team.objects.get(slug=row["team"])},
        )
        counts["routing_rules"] += 1
    for position, row in enumerate(data.get("contact_topics", [])):
        ContactTopic.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "team": Team.objects.get(slug=row["team"]),
                "position": position,
            },
        )
        counts["contact_topics"] += 1
    return counts


def load_case_types_file(path: Path = DEMO_CASE_TYPES) -> dict[str, int]:
    with open(path, encoding="utf-8") as handle:
        return load_case_types(json.load(handle))
