"""Figures read from the database when Prometheus scrapes: backlogs and waiting people.

Computed at scrape time, not kept in counters: they are the state of the database,
the same for every process and node (ARCHITECTURE invariant 3's spirit — no counters
kept aside).
"""

from __future__ import annotations

from django.db.models import Count, Min
from django_tasks_db.models import DBTaskResult
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from willkommen.catalog.models import Location
from willkommen.core import clock
from willkommen.core.models import OutboxMail, WorkerHeartbeat
from willkommen.events.models import Delivery
from willkommen.frontdesk.models import Visit


def _age(now, oldest) -> float:
    return max((now - oldest).total_seconds(), 0.0) if oldest else 0.0


def _backlog(name, what, queryset, field, now):
    summary = queryset.aggregate(count=Count("pk"), oldest=Min(field))
    count = GaugeMetricFamily(f"willkommen_{name}_backlog", f"{what} not yet done.")
    count.add_metric([], summary["count"])
    age = GaugeMetricFamily(
        f"willkommen_{name}_oldest_age_seconds",
        f"How long the oldest of the {what.lower()} not yet done has waited (0 if none).",
    )
    age.add_metric([], _age(now, summary["oldest"]))
    return [count, age]


class DatabaseCollector(Collector):
    def collect(self):
        now = clock.now()
        yield from _backlog(
            "outbox",
            "Mails in the outbox",
            OutboxMail.objects.exclude(status="sent"),
            "created_at",
            now,
        )
        yield from _backlog(
            "webhook", "Webhook deliveries", Delivery.objects.undelivered(), "created_at", now
        )
        yield from _backlog(
            "task",
            "Background tasks ready to run",
            DBTaskResult.objects.filter(status="READY"),
            "enqueued_at",
            now,
        )
        yield from self._waiting(now)
        beat = (
            WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
        )
        heartbeat = GaugeMetricFamily(
            "willkommen_worker_heartbeat_age_seconds",
            "Seconds since a worker (manage.py worker) last reported; -1 if none ever did.",
        )
        heartbeat.add_metric([], _age(now, beat) if beat else -1)
        yield heartbeat

    def _waiting(self, now):
        waiting = GaugeMetricFamily(
            "willkommen_waiting_visitors",
            "Visits in the queue today (waiting or transferred), by location.",
            labels=["location"],
        )
        oldest = GaugeMetricFamily(
            "willkommen_oldest_waiting_seconds",
            "How long the visitor waiting longest today has waited, by location (0 if none).",
            labels=["location"],
        )
        for location in Location.objects.order_by("slug"):
            summary = (
                Visit.objects.queued()
                .of_day(location, clock.local_today(location.timezone))
                .aggregate(count=Count("pk"), oldest=Min("queued_at"))
            )
            waiting.add_metric([location.slug], summary["count"])
            oldest.add_metric([location.slug], _age(now, summary["oldest"]))
        yield waiting
        yield oldest
