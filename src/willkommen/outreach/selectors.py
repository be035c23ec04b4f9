"""Reads of the expiry register: who is due an invitation, the register's rows, KPIs.

Which cases a member of staff sees comes from ``cases.selectors.visible_cases``
(the one access rule), narrowed to a team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth

from willkommen.booking.models import Appointment
from willkommen.cases.models import Case, InterimCertificate
from willkommen.cases.selectors import visible_cases
from willkommen.catalog.models import Service
from willkommen.core import clock
from willkommen.outreach.models import ExtensionApplication, Invitation, InvitationPause


def extension_service() -> Service | None:
    return Service.objects.filter(slug=settings.OUTREACH_EXTENSION_SERVICE).first()


def due_lead_weeks(expires_on: date, today: date) -> int | None:
    """The lead time an invitation is due for today: the nearest one already reached.

    A person who enters the register late (an import five weeks before expiry)
    gets one invitation now (the 8-week one), not all those already missed.
    After expiry no invitation is due.
    """
    days_left = (expires_on - today).days
    if days_left < 0:
        return None
    reached = [weeks for weeks in settings.OUTREACH_LEAD_WEEKS if days_left <= weeks * 7]
    return min(reached) if reached else None


def _applied(case_ref="pk"):
    return ExtensionApplication.objects.filter(
        case=OuterRef(case_ref), permit_expires_on=OuterRef("permit_expires_on")
    )


def _active_pause():
    return InvitationPause.objects.filter(case=OuterRef("pk"), lifted_at__isnull=True)


def _records():
    """Cases that carry a permit's expiry, without those an extension application opened
    (they carry the same expiry, and the person is already in the register)."""
    return Case.objects.filter(permit_expires_on__isnull=False, anonymised_at__isnull=True).exclude(
        Exists(ExtensionApplication.objects.filter(opened_case=OuterRef("pk")))
    )


def has_booked(case: Case, service: Service | None) -> bool:
    """An appointment for the extension held or confirmed under the case's e-mail."""
    if service is None or not case.contact_email:
        return False
    return _booked(service).filter(applicant_email__iexact=case.contact_email).exists()


def _booked(service):
    return Appointment.objects.active().filter(service=service, starts_at__gte=clock.now())


def invitation_candidates(today: date) -> QuerySet[Case]:
    """Cases a sweep may invite today: within the longest lead time, with an e-mail,
    not paused, not applied for this permit."""
    horizon = today + timedelta(weeks=max(settings.OUTREACH_LEAD_WEEKS))
    return (
        _records()
        .filter(permit_expires_on__gte=today, permit_expires_on__lte=horizon)
        .exclude(contact_email="")
        .exclude(Exists(_active_pause()))
        .exclude(Exists(_applied()))
        .select_related("case_type__service")
        .order_by("permit_expires_on", "pk")
    )


def register(user, *, team_id: int | None, weeks: int, today: date) -> QuerySet[Case]:
    """The expiry register: permits of the user's visible cases expiring within ``weeks``
    (and those expired in the last four weeks, who can still apply late), with what
    has happened on each."""
    cases = visible_cases(user).filter(pk__in=_records().values("pk"))
    if team_id is not None:
        cases = cases.filter(team_id=team_id)
    service = extension_service()
    booked = (
        _booked(service)
        .exclude(applicant_email="")  # a case without e-mail matched no appointment
        .filter(applicant_email__iexact=OuterRef("contact_email"))
        if service
        else Appointment.objects.none()
    )
    invitations = Invitation.objects.filter(
        case=OuterRef("pk"), permit_expires_on=OuterRef("permit_expires_on")
    )
    applied = _applied()
    certificate = InterimCertificate.objects.filter(
        Q(case=OuterRef("pk")) | Q(case__opened_by_extension__case=OuterRef("pk"))
    )
    return (
        cases.filter(
            permit_expires_on__gte=today - timedelta(weeks=4),
            permit_expires_on__lte=today + timedelta(weeks=weeks),
        )
        .annotate(
            invited_count=Subquery(
                invitations.values("case").annotate(n=Count("pk")).values("n")[:1]
            ),
            last_invited_at=Subquery(invitations.order_by("-sent_at").values("sent_at")[:1]),
            applied_at=Subquery(applied.values("applied_at")[:1]),
            applied_before_expiry=Subquery(applied.values("before_expiry")[:1]),
            opened_reference=Subquery(applied.values("opened_case__reference")[:1]),
            booked=Exists(booked),
            certificate_issued=Exists(certificate),
            pause_reason=Subquery(_active_pause().values("reason")[:1]),
        )
        .select_related("team")
        .prefetch_related("persons")
        .order_by("permit_expires_on", "pk")
    )


@dataclass(frozen=True)
class MonthFigures:
    month: date
    invited: int
    applied_in_time: int
    applied_late: int

    @property
    def share_in_time(self) -> float | None:
        applied = self.applied_in_time + self.applied_late
        return self.applied_in_time / applied if applied else None


def monthly_figures(since: date, until: date) -> list[MonthFigures]:
    """Per month (office time): persons invited, applications before and after expiry.

    Counted from the invitation and application records, never from counters.
    """
    zone = clock.office_time_zone()
    month = TruncMonth("sent_at", tzinfo=zone)
    invited = (
        Invitation.objects.filter(sent_at__date__gte=since, sent_at__date__lte=until)
        .annotate(month=month)
        .values("month")
        .annotate(n=Count("case", distinct=True))
    )
    applied = (
        ExtensionApplication.objects.filter(
            applied_at__date__gte=since, applied_at__date__lte=until
        )
        .annotate(month=TruncMonth("applied_at", tzinfo=zone))
        .values("month", "before_expiry")
        .annotate(n=Count("pk"))
    )
    rows: dict[date, dict[str, int]] = {}
    for row in invited:
        rows.setdefault(_day(row["month"]), {})["invited"] = row["n"]
    for row in applied:
        key = "in_time" if row["before_expiry"] else "late"
        rows.setdefault(_day(row["month"]), {})[key] = row["n"]
    return [
        MonthFigures(month, r.get("invited", 0), r.get("in_time", 0), r.get("late", 0))
        for month, r in sorted(rows.items())
    ]


def _day(value) -> date:
    return value.date() if hasattr(value, "date") else value


def application_for_token(case_id: int, expires_on: date) -> ExtensionApplication | None:
    return ExtensionApplication.objects.filter(
        case_id=case_id, permit_expires_on=expires_on
    ).first()


def invited_case(case_id: int, expires_on: date) -> Case | None:
    """The case a link names, while it still carries the permit the link was made for."""
    return (
        _records()
        .filter(pk=case_id, permit_expires_on=expires_on)
        .select_related("case_type__service")
        .prefetch_related("persons")
        .first()
    )


def verified_application(code: str) -> ExtensionApplication | None:
    return ExtensionApplication.objects.filter(verification_code=code.strip().upper()).first()
