"""Public catalogue API: locations and services with their checklists and questions."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError

from willkommen.catalog import selectors
from willkommen.catalog.models import ChecklistItem, FrequentQuestion, Location, Service
from willkommen.core.api import ErrorOut, Text, request_language
from willkommen.core.i18n import tr

router = Router(tags=["catalogue"])


class LanguageQuery(Schema):
    lang: Text() | None = None


class CounterOut(Schema):
    name: str
    kind: str


class LocationOut(Schema):
    slug: str
    name: str
    street: str
    postcode: str
    city: str
    state: str
    timezone: str
    email: str
    phone: str
    opening_hours: str
    accessibility: str
    counters: list[CounterOut]


class ConditionOut(Schema):
    key: str
    question: str
    applies_when: bool


class ChecklistItemOut(Schema):
    title: str
    explanation: str
    form: str
    required: bool
    condition: ConditionOut | None


class QuestionOut(Schema):
    question: str
    answer: str


class ServiceSummaryOut(Schema):
    slug: str
    category: str
    name: str
    short_description: str
    duration_minutes: int
    max_persons: int
    fee_cents: int
    team: str
    online_bookable: bool
    emergency_eligible: bool
    short_matter: bool
    needs_personal_appearance: bool


class ServiceOut(ServiceSummaryOut):
    description: str
    legal_basis: str
    fee_note: str
    checklist: list[ChecklistItemOut]
    questions: list[QuestionOut]


def location_out(location: Location, lang: str) -> dict:
    return {
        "slug": location.slug,
        "name": tr(location.name, lang),
        "street": location.street,
        "postcode": location.postcode,
        "city": location.city,
        "state": location.state,
        "timezone": location.timezone,
        "email": location.email,
        "phone": location.phone,
        "opening_hours": tr(location.opening_hours, lang),
        "accessibility": tr(location.accessibility, lang),
        "counters": [
            {"name": c.name, "kind": c.kind} for c in location.counters.all() if c.is_active
        ],
    }


def item_out(item: ChecklistItem, lang: str) -> dict:
    condition = None
    if item.condition is not None:
        condition = {
            "key": item.condition.key,
            "question": tr(item.condition.question, lang),
            "applies_when": item.applies_when,
        }
    return {
        "title": tr(item.title, lang),
        "explanation": tr(item.explanation, lang),
        "form": item.form,
        "required": item.required,
        "condition": condition,
    }


def question_out(question: FrequentQuestion, lang: str) -> dict:
    return {"question": tr(question.question, lang), "answer": tr(question.answer, lang)}


def service_summary_out(service: Service, lang: str) -> dict:
    return {
        "slug": service.slug,
        "category": tr(service.category.name, lang),
        "name": tr(service.name, lang),
        "short_description": tr(service.short_description, lang),
        "duration_minutes": service.duration_minutes,
        "max_persons": service.max_persons,
        "fee_cents": service.fee_cents,
        "team": service.team.slug,
        "online_bookable": service.online_bookable,
        "emergency_eligible": service.emergency_eligible,
        "short_matter": service.short_matter,
        "needs_personal_appearance": service.needs_personal_appearance,
    }


def service_out(service: Service, lang: str) -> dict:
    return {
        **service_summary_out(service, lang),
        "description": tr(service.description, lang),
        "legal_basis": service.legal_basis,
        "fee_note": tr(service.fee_note, lang),
        "checklist": [item_out(item, lang) for item in service.checklist.all()],
        "questions": [question_out(q, lang) for q in selectors.questions_of(service)],
    }


@router.get("/locations", response=list[LocationOut], summary="List office locations")
def list_locations(request, response: HttpResponse, query: Query[LanguageQuery]):
    lang = request_language(request, query.lang, response)
    return [location_out(location, lang) for location in selectors.active_locations()]


@router.get(
    "/locations/{slug}",
    response={200: LocationOut, 404: ErrorOut},
    summary="One office location",
)
def get_location(request, response: HttpResponse, slug: Path[Text()], query: Query[LanguageQuery]):
    lang = request_language(request, query.lang, response)
    location = selectors.get_location(slug)
    if location is None:
        raise HttpError(404, _("Location not found"))
    return location_out(location, lang)


@router.get("/services", response=list[ServiceSummaryOut], summary="List services (Anliegen)")
def list_services(request, response: HttpResponse, query: Query[LanguageQuery]):
    lang = request_language(request, query.lang, response)
    return [service_summary_out(service, lang) for service in selectors.list_services()]


@router.get(
    "/services/{slug}",
    response={200: ServiceOut, 404: ErrorOut},
    summary="One service with its document checklist and frequently asked questions",
)
def get_service(request, response: HttpResponse, slug: Path[Text()], query: Query[LanguageQuery]):
    lang = request_language(request, query.lang, response)
    service = selectors.get_service(slug)
    if service is None:
        raise HttpError(404, _("Service not found"))
    return service_out(service, lang)
