"""Reads of the catalogue that pages and the API share."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from willkommen.catalog.models import (
    ChecklistCondition,
    ChecklistItem,
    Fee,
    FrequentQuestion,
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


def _question_haystack(question: FrequentQuestion, language: str) -> str:
    return " ".join(
        tr(value, lang)
        for value in (question.question, question.answer)
        for lang in (language, SOURCE_LANGUAGE)
    ).casefold()


def _published_questions_prefetch():
    return Prefetch(
        "questions",
        queryset=FrequentQuestion.objects.published().order_by("position", "id"),
        to_attr="published_questions",
    )


def find_services(query: str, language: str) -> list[ServiceGroup]:
    """Active services grouped by category; with a query, only those matching every word.

    A service matches when its name, description, search words and legal basis hold
    every word, or when one of its published questions (question and answer) does;
    each service found carries ``matching_questions``, the questions that hold every
    word, for the start page to show. Texts count in the applicant's language and in
    German, the fallback.

    The catalogue of an office is a few dozen services, so matching in Python
    over the texts in the applicant's language and German is simpler and
    language-independent, where a database search would need per-language
    configuration.
    """
    words = query.casefold().split()[:10]
    services = Service.objects.public().order_by("category__position", "position", "slug")
    if words:
        services = services.prefetch_related(_published_questions_prefetch())
    groups: dict[int, ServiceGroup] = {}
    for service in services:
        service.matching_questions = []
        if words:
            service.matching_questions = [
                question
                for question in service.published_questions
                if all(word in _question_haystack(question, language) for word in words)
            ]
            haystack = _haystack(service, language)
            if not service.matching_questions and not all(word in haystack for word in words):
                continue
        groups.setdefault(service.category_id, ServiceGroup(service.category)).services.append(
            service
        )
    return list(groups.values())


def questions_of(service: Service) -> list[FrequentQuestion]:
    """The service's published questions, in their order (service page and API)."""
    return list(service.questions.published().order_by("position", "id"))


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


def fees_of(service: Service, day) -> list[Fee]:
    """The fees of ``service`` in force on ``day``: per code, the newest ``valid_from``."""
    current: dict[str, Fee] = {}
    for fee in Fee.objects.filter(service=service).valid_on(day).order_by("-valid_from"):
        current.setdefault(fee.code, fee)
    return sorted(current.values(), key=lambda fee: (fee.position, fee.code))


def fee_of(service: Service, day, code: str | None = None) -> Fee | None:
    """The fee of a service on a date: the one named ``code``, else the first in order."""
    fees = fees_of(service, day)
    if code is not None:
        fees = [fee for fee in fees if fee.code == code]
    return fees[0] if fees else None
