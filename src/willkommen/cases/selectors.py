"""Reads of the case file shared by staff pages, public pages and the API.

Who may see which case is decided here and only here (invariant 5): every
staff view and API endpoint gets its cases from ``visible_cases(user)``.
- admins: every case;
- team leads and clerks: the cases of the teams they are members of;
- anyone else (reception, controllers, anonymous): none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case as Case_
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When

from willkommen.accounts.roles import Role, has_role, roles_of
from willkommen.cases import codes
from willkommen.cases.models import (
    AccessLogEntry,
    AgencyRequest,
    Case,
    ContactRequest,
    Document,
    Person,
    Phase,
    Requirement,
    StatusChange,
    Urgency,
)
from willkommen.core import clock

CASE_ROLES = (Role.CLERK, Role.TEAM_LEAD, Role.ADMIN)
EXPIRING_WITHIN = timedelta(days=42)
# A permit that runs out this soon is flagged on the list and the case page.
PERMIT_WARNING_WITHIN = timedelta(days=14)


def is_case_admin(user) -> bool:
    return has_role(user, Role.ADMIN)


def can_reassign(user) -> bool:
    """Team leads (within their teams) and admins move cases between teams and clerks."""
    return has_role(user, Role.TEAM_LEAD, Role.ADMIN)


def can_see_access_log(user) -> bool:
    return has_role(user, Role.TEAM_LEAD, Role.ADMIN)


def _by_team(user, queryset):
    """The one visibility rule: admins everything, clerks and team leads their teams."""
    roles = roles_of(user)
    if Role.ADMIN in roles:
        return queryset
    if roles & {Role.CLERK, Role.TEAM_LEAD}:
        return queryset.filter(team__in=user.teams.filter(is_active=True))
    return queryset.none()


def visible_cases(user) -> QuerySet[Case]:
    return _by_team(user, Case.objects.all())


def visible_contact_requests(user) -> QuerySet[ContactRequest]:
    """Messages from the contact form, by the same rule as cases."""
    return _by_team(user, ContactRequest.objects.select_related("topic", "team"))


def _open_agency_requests():
    return AgencyRequest.objects.filter(case=OuterRef("pk"), answered_on__isnull=True)


@dataclass
class CaseFilter:
    team: int | None = None
    clerk: str = ""  # "", "me", "none"
    status: str = ""  # a status code
    overdue: bool = False
    expiring: bool = False
    waiting: bool = False
    closed: bool = False
    query: str = ""
    order: str = ""  # "": most urgent first; "expiry": the permit that runs out first


def permit_warning(case: Case, today) -> int | None:
    """Days until the permit expires (negative: expired) if that is within 14 days, else None.

    Closed cases are not flagged: nothing more is decided in them.
    """
    if case.permit_expires_on is None or case.closed_at is not None:
        return None
    if case.permit_expires_on > today + PERMIT_WARNING_WITHIN:
        return None
    return (case.permit_expires_on - today).days


def case_list(user, filters: CaseFilter) -> QuerySet[Case]:
    cases = (
        visible_cases(user)
        .select_related("case_type__service", "status", "team", "clerk")
        .prefetch_related(Prefetch("persons", queryset=Person.objects.filter(role="applicant")))
        .annotate(waiting_on_agency=Exists(_open_agency_requests()))
    )
    cases = cases.closed() if filters.closed else cases.open()
    if filters.team:
        cases = cases.filter(team_id=filters.team)
    if filters.clerk == "me":
        cases = cases.filter(clerk=user)
    elif filters.clerk == "none":
        cases = cases.filter(clerk__isnull=True)
    if filters.status:
        cases = cases.filter(status__code=filters.status)
    today = clock.office_today()
    if filters.overdue:
        # Past the service norm of its case type. Adding a per-row number of days to a
        # timestamp has no portable SQL (SQLite/PostgreSQL), so it is compared here.
        overdue_ids = [
            pk
            for pk, opened, norm in cases.values_list("pk", "opened_at", "case_type__norm_days")
            if clock.now() - opened > timedelta(days=norm)
        ]
        cases = cases.filter(pk__in=overdue_ids)
    if filters.expiring:
        cases = cases.filter(permit_expires_on__lte=today + EXPIRING_WITHIN)
    if filters.waiting:
        cases = cases.filter(waiting_on_agency=True)
    if filters.query:
        # Matched in a subquery rather than by joining persons here with DISTINCT:
        # with server-side parameters (PostgreSQL, DB_SERVER_SIDE_BINDING) PostgreSQL
        # refuses DISTINCT beside the parametrised ORDER BY below ("ORDER BY
        # expressions must appear in select list").
        matching = Case.objects.all()
        for word in filters.query.split()[:5]:
            matching = matching.filter(
                Q(reference__icontains=word)
                | Q(persons__family_name__icontains=word)
                | Q(representative__organisation__icontains=word)
            )
        cases = cases.filter(pk__in=matching.values("pk"))
    expiry = F("permit_expires_on").asc(nulls_last=True)
    if filters.order == "expiry":
        return cases.order_by(expiry, "opened_at")
    # Most urgent first, then the permit that runs out first, then the oldest case.
    rank = Case_(
        When(urgency=Urgency.CRITICAL, then=Value(0)),
        When(urgency=Urgency.HIGH, then=Value(1)),
        default=Value(2),
    )
    return cases.order_by(rank, expiry, "opened_at")


def case_for_staff(user, reference: str) -> Case | None:
    """One case with everything its page shows, or None if it does not exist *for this user*."""
    return (
        visible_cases(user)
        .select_related("case_type__service", "status", "team", "clerk", "receipt")
        .prefetch_related(
            "persons",
            Prefetch("history", queryset=StatusChange.objects.select_related("status", "actor")),
            Prefetch("requirements", queryset=Requirement.objects.order_by("position", "pk")),
            Prefetch(
                "documents",
                queryset=Document.objects.select_related("requirement", "uploaded_by").order_by(
                    "requirement__position", "requirement_id", "-version"
                ),
            ),
            "notes__author",
            "agency_requests",
            "interim_certificates",
            "classification_changes__actor",
            "assignments__team",
            "assignments__clerk",
            "assignments__actor",
            "case_type__statuses",
        )
        .filter(reference=codes.normalise_reference(reference))
        .first()
    )


def document_for_staff(user, reference: str, document_id: int) -> Document | None:
    return (
        Document.objects.filter(
            case__in=visible_cases(user),
            case__reference=codes.normalise_reference(reference),
            pk=document_id,
        )
        .select_related("case")
        .first()
    )


@dataclass
class Completeness:
    fulfilled: list[Requirement]
    missing: list[Requirement]
    optional_open: list[Requirement]

    @property
    def is_complete(self) -> bool:
        return not self.missing


def completeness(case: Case) -> Completeness:
    fulfilled_ids = {d.requirement_id for d in case.documents.all() if d.requirement_id}
    fulfilled, missing, optional_open = [], [], []
    for requirement in case.requirements.all():
        if requirement.pk in fulfilled_ids:
            fulfilled.append(requirement)
        elif requirement.required:
            missing.append(requirement)
        else:
            optional_open.append(requirement)
    return Completeness(fulfilled, missing, optional_open)


def access_log(case: Case):
    return AccessLogEntry.objects.filter(case=case).select_related("user", "document")[:200]


def case_for_applicant(reference: str, code: str) -> Case | None:
    """The case if reference and code match, else None; constant time in the code."""
    reference = codes.normalise_reference(reference)
    case = Case.objects.open_or_recent().filter(reference=reference).first()
    stored = case.access_code_hash if case is not None and case.access_code_hash else None
    if not codes.code_matches(reference, code, stored):
        return None
    return case


def applicant_case(case_id: int) -> Case | None:
    """The case an applicant has unlocked in this session (by id), with what the page shows."""
    return (
        Case.objects.open_or_recent()
        .select_related("case_type__service", "status", "team")
        .prefetch_related(
            Prefetch("history", queryset=StatusChange.objects.select_related("status")),
            Prefetch("requirements", queryset=Requirement.objects.order_by("position", "pk")),
            "documents",
        )
        .filter(pk=case_id)
        .first()
    )


def applicant_timeline(case: Case) -> list[StatusChange]:
    """The history as the applicant sees it: each change with its applicant text."""
    return list(case.history.all())


def is_waiting(case: Case) -> bool:
    return case.status.phase == Phase.WAITING
