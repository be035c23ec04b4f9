"""The answer deadline and its flags, from the settings and the office's today.

A complaint is due ``COMPLAINT_ANSWER_DAYS`` after the office's day it arrived. From
``COMPLAINT_INTERIM_PROMPT_DAYS`` before that, an unanswered complaint without an
interim reply is flagged so someone writes one; after it, it is overdue. Flags are
computed when read (nothing to keep in step, so no sweep is needed).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from willkommen.core import clock

INTERIM_DUE = "interim_due"
OVERDUE = "overdue"


def due_on(received_at) -> date:
    received_day = timezone.localtime(received_at, clock.office_time_zone()).date()
    return received_day + timedelta(days=settings.COMPLAINT_ANSWER_DAYS)


def interim_from(due: date) -> date:
    return due - timedelta(days=settings.COMPLAINT_INTERIM_PROMPT_DAYS)


def flag(complaint, today: date | None = None) -> str:
    """ "overdue", "interim_due" or "" for one complaint (answered ones: "")."""
    if complaint.answered_at is not None:
        return ""
    today = today or clock.office_today()
    if today > complaint.due_on:
        return OVERDUE
    if complaint.interim_sent_at is None and today >= interim_from(complaint.due_on):
        return INTERIM_DUE
    return ""


def answered_in_time(complaint) -> bool | None:
    """Whether the first answer came by the deadline; None while unanswered."""
    if complaint.answered_at is None:
        return None
    answered_day = timezone.localtime(complaint.answered_at, clock.office_time_zone()).date()
    return answered_day <= complaint.due_on
