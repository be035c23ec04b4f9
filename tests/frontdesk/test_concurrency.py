"""Invariant 2 under real concurrency: threads with their own database connections."""

import threading
from collections import Counter as Tally

import pytest
from django.db import connection, connections

from tests.catalog.factories import CounterFactory
from tests.frontdesk.factories import clerk_at, walk_in
from willkommen.frontdesk import services
from willkommen.frontdesk.models import Visit, VisitTransition
from willkommen.frontdesk.services import QueueEmpty, WorkItemLine

CLERKS = 6
VISITORS = 30


def run_in_threads(count, work):
    """Start ``count`` threads at one barrier; return their results and errors."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(index):
        try:
            barrier.wait()
            results.extend(work(index, barrier))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_clerks_calling_next_at_the_same_instant_never_share_a_visitor(office):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SKIP LOCKED with concurrent connections")
    location, service = office["location"], office["extend"]
    for _ in range(VISITORS):
        walk_in(location, service)
    counters = [
        CounterFactory(location=location, team=office["family"], name=f"Platz {i}")
        for i in range(CLERKS)
    ]
    clerks = [clerk_at(counter) for counter in counters]

    def work(index, barrier):
        clerk, taken = clerks[index], []
        while True:
            try:
                visit = services.call_next(user=clerk)
            except QueueEmpty:
                return taken
            taken.append(visit.pk)
            services.start(visit.pk, user=clerk)
            services.finish(
                visit.pk, user=clerk, persons_present=1, work_items=[WorkItemLine(service, "x")]
            )

    results, errors = run_in_threads(CLERKS, work)
    assert errors == []
    assert sorted(results) == sorted(Visit.objects.values_list("pk", flat=True))
    calls = Tally(VisitTransition.objects.filter(action="call").values_list("visit", flat=True))
    assert set(calls.values()) == {1}, "a visitor was called by two clerks"
    # Every clerk got work: SKIP LOCKED lets them proceed side by side, not one by one.
    assert Visit.objects.values("clerk").distinct().count() > 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_receptions_issuing_at_the_same_instant_get_distinct_numbers(office):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent connections on the ticket counter row")
    location, service = office["location"], office["extend"]

    def work(index, barrier):
        return [walk_in(location, service).ticket_number for _ in range(5)]

    results, errors = run_in_threads(6, work)
    assert errors == []
    assert sorted(results) == list(range(1, 31))


@pytest.mark.django_db(transaction=True)
def test_call_next_is_serialised_on_sqlite_too(office):
    """On SQLite the IMMEDIATE transaction takes the write lock first: the same guarantee."""
    location, service = office["location"], office["extend"]
    for _ in range(8):
        walk_in(location, service)
    clerks = [
        clerk_at(CounterFactory(location=location, team=office["family"], name=f"Platz {i}"))
        for i in range(4)
    ]

    def work(index, barrier):
        return [services.call_next(user=clerks[index]).pk]

    results, errors = run_in_threads(4, work)
    assert errors == [] and len(set(results)) == 4
