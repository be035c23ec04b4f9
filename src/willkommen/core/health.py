"""What /healthz checks: the database, the mail outbox's age and the worker's heartbeat.

``/healthz`` answers 503 when any check fails, for monitoring (and for a load balancer
that should take the whole installation out when its background work stopped).
``/healthz/live`` checks only that this process answers and reaches the database: the
probe for a load balancer or process manager deciding about *this* node.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection

from willkommen.core import clock
from willkommen.core.models import OutboxMail, WorkerHeartbeat

FORGET_WORKERS_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return Check("database", False, f"{type(exc).__name__}: {exc}"[:300])
    return Check("database", True, "reachable")


def outbox(now) -> Check:
    oldest = (
        OutboxMail.objects.exclude(status=OutboxMail.Status.SENT)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if oldest is None:
        return Check("outbox", True, "no mail waiting")
    age = int((now - oldest).total_seconds())
    limit = settings.HEALTHZ_OUTBOX_MAX_AGE
    return Check("outbox", age <= limit, f"oldest unsent mail waits {age} s (limit {limit} s)")


def worker(now) -> Check:
    limit = settings.HEALTHZ_WORKER_MAX_AGE
    if not limit:
        return Check("worker", True, "not checked (HEALTHZ_WORKER_MAX_AGE=0)")
    last = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if last is None:
        return Check("worker", False, "no worker has reported (manage.py worker)")
    age = int((now - last).total_seconds())
    return Check("worker", age <= limit, f"last heartbeat {age} s ago (limit {limit} s)")


def checks() -> list[Check]:
    """Every check; without a database the others are not tried."""
    reachable = database()
    if not reachable.ok:
        return [reachable]
    now = clock.now()
    return [reachable, outbox(now), worker(now)]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(name: str, started_at) -> None:
    """Record that the worker ``name`` is alive now (called from its loop)."""
    now = clock.now()
    WorkerHeartbeat.objects.update_or_create(
        worker=name,
        defaults={"beat_at": now},
        create_defaults={"started_at": started_at, "beat_at": now},
    )
    WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_WORKERS_AFTER).delete()
