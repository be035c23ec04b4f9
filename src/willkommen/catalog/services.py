"""Writes of the catalogue: loading a catalogue file (the demo data, or an office's own)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from willkommen.accounts.models import Team
from willkommen.catalog.hours import hours_text
from willkommen.catalog.models import (
    ChecklistCondition,
    ChecklistItem,
    Counter,
    Fee,
    FrequentQuestion,
    Location,
    Service,
    ServiceCategory,
)

DEMO_CATALOG = Path(__file__).resolve().parent / "demo" / "catalog.json"

SERVICE_FIELDS = [
    "name", "short_description", "description", "keywords", "legal_basis", "duration_minutes",
    "max_persons", "fee_cents", "fee_note", "online_bookable", "emergency_eligible",
    "short_matter", "needs_personal_appearance",
]  # fmt: skip


LOCATION_DEFAULTS = {
    "name": {}, "street": "", "postcode": "", "city": "", "state": "",
    "timezone": settings.OFFICE_TIME_ZONE, "email": "", "phone": "",
    "opening_hours": {}, "accessibility": {},
}  # fmt: skip


def _validated(instance):
    instance.full_clean()
    instance.save()
    return instance


def _upsert(model, lookup: dict, values: dict):
    instance = model.objects.filter(**lookup).first() or model(**lookup)
    for name, value in values.items():
        setattr(instance, name, value)
    return _validated(instance)


@transaction.atomic
def load_catalog(data: dict) -> dict[str, int]:
    """Create or update teams, conditions, locations, counters, services, checklists, FAQs.

    Idempotent: running it again updates in place. A service's checklist and its
    questions (``faqs``) are replaced as a whole, so removed ones disappear. Any
    invalid entry raises ValidationError and nothing is stored (one transaction).
    """
    counts = dict.fromkeys(
        ["teams", "conditions", "locations", "counters", "services", "items", "questions", "fees"],
        0,
    )
    teams = {}
    for row in data.get("teams", []):
        teams[row["slug"]] = _upsert(
            Team, {"slug": row["slug"]}, {"name": row["name"], "email": row.get("email", "")}
        )
        counts["teams"] += 1
    conditions = {}
    for row in data.get("conditions", []):
        conditions[row["key"]] = _upsert(
            ChecklistCondition,
            {"key": row["key"]},
            {"question": row["question"], "help": row.get("help", {})},
        )
        counts["conditions"] += 1

    def team(slug):
        if slug is None:
            return None
        if slug not in teams:
            teams[slug] = Team.objects.filter(slug=slug).first()
            if teams[slug] is None:
                raise ValidationError(f"unknown team {slug!r}")
        return teams[slug]

    for row in data.get("locations", []):
        values = {key: row.get(key, default) for key, default in LOCATION_DEFAULTS.items()}
        if "hours" in row:  # the text made from the rows booking's demo rules use too
            values["opening_hours"] = hours_text(
                row["hours"], row.get("closed_on", []), row.get("hours_note", {})
            )
        location = _upsert(Location, {"slug": row["slug"]}, values)
        counts["locations"] += 1
        for counter in row.get("counters", []):
            _upsert(
                Counter,
                {"location": location, "name": counter["name"]},
                {"kind": counter.get("kind", Counter.Kind.ROOM), "team": team(counter.get("team"))},
            )
            counts["counters"] += 1

    for category_position, category_row in enumerate(data.get("categories", [])):
        category = _upsert(
            ServiceCategory,
            {"slug": category_row["slug"]},
            {"name": category_row["name"], "position": category_position},
        )
        for position, row in enumerate(category_row.get("services", [])):
            values = {name: row[name] for name in SERVICE_FIELDS if name in row}
            values.update(category=category, position=position, team=team(row["team"]))
            service = _upsert(Service, {"slug": row["slug"]}, values)
            counts["services"] += 1
            service.checklist.all().delete()
            for item_position, item in enumerate(row.get("checklist", [])):
                condition_key = item.get("condition")
                if condition_key is not None and condition_key not in conditions:
                    found = ChecklistCondition.objects.filter(key=condition_key).first()
                    if found is None:
                        raise ValidationError(f"{row['slug']}: unknown condition {condition_key!r}")
                    conditions[condition_key] = found
                _validated(
                    ChecklistItem(
                        service=service,
                        position=item_position,
                        title=item["title"],
                        explanation=item.get("explanation", {}),
                        form=item.get("form", "original"),
                        required=item.get("required", True),
                        condition=conditions.get(condition_key) if condition_key else None,
                        applies_when=item.get("applies_when", True),
                    )
                )
                counts["items"] += 1
            counts["questions"] += _replace_questions(service, row.get("faqs", []))
            counts["fees"] += _upsert_fees(service, row.get("fees", []))
    return counts


def _replace_questions(service: Service, rows: list[dict]) -> int:
    service.questions.all().delete()
    for position, row in enumerate(rows):
        _validated(
            FrequentQuestion(
                service=service,
                position=position,
                question=row["question"],
                answer=row["answer"],
                is_published=row.get("published", True),
            )
        )
    return len(rows)


def _upsert_fees(service: Service, rows: list[dict]) -> int:
    """Fees are kept by (code, valid from): a file with a newer amount adds a row, so
    what a case owed under the old amount stays readable."""
    for position, row in enumerate(rows):
        _upsert(
            Fee,
            {"service": service, "code": row["code"], "valid_from": row["valid_from"]},
            {
                "position": position,
                "label": row["label"],
                "legal_basis": row["legal_basis"],
                "amount_cents": row["amount_cents"],
                "minor_amount_cents": row.get("minor_amount_cents"),
                "exemption_note": row.get("exemption_note", {}),
                "source": row.get("source", ""),
            },
        )
    return len(rows)


def load_catalog_file(path: Path = DEMO_CATALOG) -> dict[str, int]:
    with open(path, encoding="utf-8") as handle:
        return load_catalog(json.load(handle))
