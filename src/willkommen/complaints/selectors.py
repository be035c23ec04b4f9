"""Reads of complaints for the staff pages: who may see which, the list, one complaint.

The one access rule is ``visible_complaints(user)``:
- admins: every complaint;
- team leads: every complaint, except those about a team they belong to while
  ``COMPLAINT_HANDLED_OUTSIDE_TEAM`` is on (the default);
- anyone else: none (reception and clerks record complaints, they do not read them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from willkommen.accounts.roles import Role, has_role, roles_of
from willkommen.complaints import deadlines
from willkommen.complaints.models import AnswerTemplate, Complaint, ComplaintRead, Status
from willkommen.core import clock

HANDLER_ROLES = (Role.TEAM_LEAD, Role.ADMIN)
INTAKE_ROLES = (Role.RECEPTION, Role.CLERK, Role.TEAM_LEAD, Role.ADMIN)


def can_handle(user) -> bool:
    return has_role(user, *HANDLER_ROLES)


def visible_complaints(user) -> QuerySet[Complaint]:
    roles = roles_of(user)
    complaints = Complaint.objects.all()
    if Role.ADMIN in roles:
        return complaints
    if Role.TEAM_LEAD not in roles:
        return complaints.none()
    if settings.COMPLAINT_HANDLED_OUTSIDE_TEAM:
        return complaints.exclude(team__in=user.teams.all())
    return complaints


def complaint_for_staff(user, reference: str) -> Complaint | None:
    return (
        visible_complaints(user)
        .select_related("team", "case", "appointment", "visit", "recorded_by")
        .filter(reference=reference)
        .first()
    )


@dataclass
class ComplaintFilter:
    status: str = ""  # a Status, "open" (default: not answered or closed) or "all"
    category: str = ""
    team: int | None = None
    flag: str = ""  # deadlines.OVERDUE or deadlines.INTERIM_DUE
    query: str = ""


def complaint_list(user, filters: ComplaintFilter) -> QuerySet[Complaint]:
    complaints = visible_complaints(user).select_related("team")
    if filters.status in Status.values:
        complaints = complaints.filter(status=filters.status)
    elif filters.status != "all":
        complaints = complaints.open()
    if filters.category:
        complaints = complaints.filter(category=filters.category)
    if filters.team:
        complaints = complaints.filter(team_id=filters.team)
    today = clock.office_today()
    if filters.flag == deadlines.OVERDUE:
        complaints = complaints.filter(answered_at__isnull=True, due_on__lt=today)
    elif filters.flag == deadlines.INTERIM_DUE:
        # due_on - prompt days <= today <= due_on  ⇔  today <= due_on <= today + prompt days
        prompt = timedelta(days=settings.COMPLAINT_INTERIM_PROMPT_DAYS)
        complaints = complaints.filter(
            answered_at__isnull=True,
            interim_sent_at__isnull=True,
            due_on__gte=today,
            due_on__lte=today + prompt,
        )
    if filters.query:
        q = filters.query.strip()
        complaints = complaints.filter(
            Q(reference__iexact=q)
            | Q(name__icontains=q)
            | Q(email__iexact=q)
            | Q(message__icontains=q)
        )
    # Unanswered first, the earliest deadline first.
    return complaints.order_by("answered_at", "due_on", "-received_at")


def templates_for(complaint: Complaint, kind: str) -> list[AnswerTemplate]:
    """The active templates of ``kind``: those of the complaint's category first."""
    templates = AnswerTemplate.objects.filter(is_active=True, kind=kind)
    return sorted(templates, key=lambda t: (t.category != complaint.category, t.title))


def reads(complaint: Complaint) -> QuerySet[ComplaintRead]:
    return complaint.reads.select_related("user")[:50]
