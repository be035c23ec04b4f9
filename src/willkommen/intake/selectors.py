"""The intake's reads: the destination a callback names, what waits too long."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings

from willkommen.core import clock
from willkommen.intake.models import Destination, Submission


def active_destination(destination_id) -> Destination | None:
    try:
        key = uuid.UUID(str(destination_id))
    except ValueError:
        return None
    return Destination.objects.filter(destination_id=key, is_active=True).first()


def waiting_too_long():
    """Submissions FIT-Connect delivered days ago that we have not accepted or rejected."""
    limit = clock.now() - timedelta(days=settings.FITCONNECT_WARN_AFTER_DAYS)
    return Submission.objects.not_picked_up().filter(announced_at__lt=limit)


def recently_rejected(days: int = 7):
    from willkommen.intake.states import SubmissionState

    since = clock.now() - timedelta(days=days)
    return Submission.objects.filter(
        state__in=[SubmissionState.REJECTING, SubmissionState.REJECTED], announced_at__gte=since
    )
