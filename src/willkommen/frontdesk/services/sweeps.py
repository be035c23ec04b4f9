"""The front desk's periodic sweeps: appointments nobody came for, and days left open."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from willkommen.booking import selectors as booking_selectors
from willkommen.booking import services as booking_services
from willkommen.booking.errors import REFUSED as BOOKING_REFUSED
from willkommen.catalog.models import Location
from willkommen.core import clock
from willkommen.frontdesk.models import Visit
from willkommen.frontdesk.services.visits import locked, transition
from willkommen.frontdesk.states import TABLE, TERMINAL, Action, Status


def mark_no_shows(*, now: datetime | None = None) -> int:
    """Appointments not checked in FRONTDESK_APPOINTMENT_NO_SHOW_MINUTES after their start.

    Each in its own transaction; one that was checked in meanwhile is left alone
    (booking refuses the transition on the locked row).
    """
    now = now or clock.now()
    cutoff = now - timedelta(minutes=settings.FRONTDESK_APPOINTMENT_NO_SHOW_MINUTES)
    marked = 0
    for appointment in booking_selectors.appointments_due_for_no_show(cutoff)[:1000]:
        try:
            booking_services.record_no_show(appointment, actor=None)
        except BOOKING_REFUSED:
            continue
        marked += 1
    return marked


def close_past_days(*, now: datetime | None = None) -> int:
    """Visits of earlier days still waiting or called: closed as left or no-show.

    A visit being served stays as it is: its clerk sees it again and finishes it
    with its work items (they are the count that matters).
    """
    closed = 0
    for location in Location.objects.all():
        today = clock.local_today(location.timezone)
        stale = Visit.objects.filter(location=location, service_day__lt=today).exclude(
            status__in=[*TERMINAL, Status.SERVING]
        )
        for visit_id in stale.values_list("pk", flat=True)[:5000]:
            with transaction.atomic():
                visit = locked(visit_id)
                action = Action.NO_SHOW if visit.status == Status.CALLED else Action.LEAVE
                if not TABLE.allows(visit.status, action):
                    continue
                transition(
                    visit, action, actor=None, note="end of day", clerk=None, counter_id=None
                )
                closed += 1
    return closed
