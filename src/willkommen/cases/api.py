"""Case API: the applicant's status (reference + access code) and staff reads.

Staff endpoints use the session login (the staff pages' cookie) and the same
selectors as the pages, so the API shows no case the pages would not.
"""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status

from willkommen.accounts.api_auth import staff_auth
from willkommen.cases import selectors, services
from willkommen.cases.forecast import forecast_for
from willkommen.cases.models import AccessLogEntry, Case
from willkommen.core import ratelimit
from willkommen.core.api import (
    ErrorOut,
    Input,
    RateLimitedOut,
    Text,
    ValidationErrorOut,
    not_found,
    request_language,
)
from willkommen.core.i18n import tr

router = Router(tags=["cases"])


class StatusQuery(Input):
    reference: Text(40)
    code: Text(40)


class TimelineEntryOut(Schema):
    at: datetime
    text: str


class ForecastRangeOut(Schema):
    weeks_low: int
    weeks_high: int


class ApplicantStatusOut(Schema):
    reference: str
    service: str
    received_on: date
    status: str
    closed: bool
    timeline: list[TimelineEntryOut]
    missing_documents: list[str]
    forecast: ForecastRangeOut | None


def applicant_status_out(case: Case, lang: str) -> dict:
    forecast = (
        None if case.is_closed else forecast_for(case.case_type_id, case.urgency, case.difficulty)
    )
    return {
        "reference": case.reference,
        "service": tr(case.case_type.service.name, lang),
        "received_on": timezone.localtime(case.opened_at).date(),
        "status": tr(case.status.applicant_text, lang),
        "closed": case.is_closed,
        "timeline": [
            {"at": change.changed_at, "text": tr(change.status.applicant_text, lang)}
            for change in case.history.all()
        ],
        "missing_documents": [tr(r.title, lang) for r in selectors.completeness(case).missing],
        "forecast": {"weeks_low": forecast.weeks_low, "weeks_high": forecast.weeks_high}
        if forecast
        else None,
    }


GENERIC_FAILURE = "No case with this reference and access code."


@router.post(
    "/cases/status",
    response={200: ApplicantStatusOut, 404: ErrorOut, 422: ValidationErrorOut, 429: RateLimitedOut},
    summary="The applicant's view of a case (reference and access code in the body)",
)
def applicant_status(
    request: HttpRequest, payload: StatusQuery, lang: Query[Text(20) | None] = None
):
    from django.http import HttpResponse

    response = HttpResponse()
    language = request_language(request, lang, response)
    found = services.unlock(ratelimit.client_ip(request), payload.reference, payload.code)
    if found is None:
        return not_found(GENERIC_FAILURE)
    case = selectors.applicant_case(found.pk)
    services.log_access(case, user=None, action=AccessLogEntry.Action.APPLICANT)
    return Status(200, applicant_status_out(case, language))


class CaseSummaryOut(Schema):
    reference: str
    service: str
    status: str
    urgency: str
    difficulty: str
    team: str
    clerk: str | None
    opened_at: datetime
    permit_expires_on: date | None
    closed: bool


class StaffForecastOut(Schema):
    median_days: float
    p80_days: float
    sample_size: int
    level: str


class CaseOut(CaseSummaryOut):
    history: list[TimelineEntryOut]
    missing_documents: list[str]
    documents: int
    forecast: StaffForecastOut | None


class CaseListQuery(Schema):
    clerk: Literal["", "me", "none"] = ""
    status: Text(50) = ""
    overdue: bool = False
    expiring: bool = False
    waiting: bool = False
    closed: bool = False
    q: Text(100) = ""
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


def case_summary_out(case: Case) -> dict:
    return {
        "reference": case.reference,
        "service": tr(case.case_type.service.name),
        "status": case.status.internal_name,
        "urgency": case.urgency,
        "difficulty": case.difficulty,
        "team": case.team.slug,
        "clerk": case.clerk.username if case.clerk else None,
        "opened_at": case.opened_at,
        "permit_expires_on": case.permit_expires_on,
        "closed": case.is_closed,
    }


@router.get(
    "/staff/cases",
    response={
        200: list[CaseSummaryOut],
        401: ErrorOut,
        422: ValidationErrorOut,
        429: RateLimitedOut,
    },
    auth=staff_auth(*selectors.CASE_ROLES),
    summary="Cases the logged-in member of staff may see, filtered as on the list page",
)
def staff_case_list(request: HttpRequest, filters: Query[CaseListQuery]):
    query = selectors.CaseFilter(
        clerk=filters.clerk,
        status=filters.status,
        overdue=filters.overdue,
        expiring=filters.expiring,
        waiting=filters.waiting,
        closed=filters.closed,
        query=filters.q,
    )
    offset = filters.offset
    cases = selectors.case_list(request.auth, query)[offset : offset + filters.limit]
    return Status(200, [case_summary_out(case) for case in cases])


@router.get(
    "/staff/cases/{reference}",
    response={
        200: CaseOut,
        401: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorOut,
        429: RateLimitedOut,
    },
    auth=staff_auth(*selectors.CASE_ROLES),
    summary="One case file (the read is logged)",
)
def staff_case_detail(request: HttpRequest, reference: Path[Text(40)]):
    case = selectors.case_for_staff(request.auth, reference[:30])
    if case is None:
        return not_found("No such case.")
    services.log_access(case, user=request.auth, action=AccessLogEntry.Action.API)
    forecast = forecast_for(case.case_type_id, case.urgency, case.difficulty)
    return Status(
        200,
        {
            **case_summary_out(case),
            "history": [
                {"at": change.changed_at, "text": change.status.internal_name}
                for change in case.history.all()
            ],
            "missing_documents": [tr(r.title) for r in selectors.completeness(case).missing],
            "documents": len(case.documents.all()),
            "forecast": forecast.__dict__ if forecast else None,
        },
    )
