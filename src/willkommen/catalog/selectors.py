"""Reads of the catalogue that pages and the API share."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from willkommen.catalog.models import (
    ChecklistCondition,
    ChecklistItem,
    Location,
    Service,
    ServiceCategory,
)
from willkommen.core.i18n import SOURCE_LANGUAGE, tr

MAX_QUERY_LENGTH = 100


@dataclass
class ServiceGroup:
    category: ServiceCategory
    services: list[Service] = field(default_factory=list)


def _haystack(service: Service, language: str) -> str:
    parts = []
    for value in (service.name, service.short_description, service.keywords):
        parts.append(tr(value, language))
        parts.append(tr(value, SOURCE_LANGUAGE))
    parts.append(service.legal_basis)
    return " ".join(parts).casefold()


def find_services(query: str, language: str) -> list[ServiceGroup]:
    """Active services grouped by category; with a query, only those matching every word.

    The catalogue of an office is a few dozen services, so matching in Python
    over the texts in the applicant's language and German is simpler and
    language-independent, where a database search would need per-language
    configuration.
    """
    words = query.casefold().split()[:10]
    groups: dict[int, ServiceGroup] = {}
    for service in Service.objects.public().order_by("category__position", "position", "slug"):
        if words:
            haystack = _haystack(service, language)
            if not all(word in haystack for word in words):
                continue
        groups.setdefault(service.category_id, ServiceGroup(service.category)).services.append(
            service
        )
    return list(groups.values())


def _checklist_prefetch():
    return Prefetch(
        "checklist",
        queryset=ChecklistItem.objects.select_related("condition").order_by("position", "id"),
    )


def with_checklist(services):
    """``services`` (a Service queryset) with each one's checklist read along."""
    return services.prefetch_related(_checklist_prefetch())


def get_service(slug: str) -> Service | None:
    return (
        Service.objects.public().prefetch_related(_checklist_prefetch()).filter(slug=slug).first()
    )


def list_services() -> list[Service]:
    return list(Service.objects.public().prefetch_related(_checklist_prefetch()))


def conditions_of(service: Service) -> list[ChecklistCondition]:
    """The questions that decide the service's checklist, in checklist order."""
    seen: dict[int, ChecklistCondition] = {}
    for item in service.checklist.all():
        if item.condition is not None and item.condition_id not in seen:
            seen[item.condition_id] = item.condition
    return list(seen.values())


@dataclass
class PersonalChecklist:
    items: list[ChecklistItem]  # apply to this applicant
    undecided: list[ChecklistItem]  # depend on a question left unanswered
    excluded: int  # how many items the answers ruled out


def personal_checklist(service: Service, answers: dict[str, bool]) -> PersonalChecklist:
    items, undecided, excluded = [], [], 0
    for item in service.checklist.all():
        applies = item.applies(answers)
        if applies is None:
            undecided.append(item)
        elif applies:
            items.append(item)
        else:
            excluded += 1
    return PersonalChecklist(items=items, undecided=undecided, excluded=excluded)


def active_locations():
    return Location.objects.active().prefetch_related("counters")


def get_location(slug: str) -> Location | None:
    return active_locations().filter(slug=slug).first()
