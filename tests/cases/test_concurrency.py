"""Real concurrency: threads with their own database connections.

On PostgreSQL this is the production case (row locks, conditional updates). The
tests also run on SQLite, where IMMEDIATE transactions serialise the writers.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from tests.cases.factories import make_case_type, open_case, status
from willkommen.cases import services
from willkommen.cases.models import Case, ReferenceCounter

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(count, work):
    """Start ``count`` threads at one barrier; return their results (or exceptions)."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(index):
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except Exception as exc:  # collected and checked by the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_reference_allocation_never_hands_out_a_number_twice():
    def allocate(_index):
        references = []
        for _round in range(5):
            with transaction.atomic():
                references.append(services.allocate_reference(year=2031))
        return references

    results = run_together(8, allocate)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    references = [ref for batch in results for ref in batch]
    assert len(references) == 40 == len(set(references))
    assert sorted(references) == [f"ABH-2031-{n:06d}" for n in range(1, 41)]
    assert ReferenceCounter.objects.get(prefix="ABH", year=2031).last_number == 40


def test_two_concurrent_status_changes_one_wins_the_other_is_refused_cleanly():
    case_type = make_case_type()
    case = open_case(case_type).case
    target = status(case_type, "unvollstaendig")
    seen = case.status_id

    def change(_index):
        # Both clerks saw "received" and both set "documents incomplete".
        return services.change_status(
            Case.objects.get(pk=case.pk), target, actor=None, expected_status_id=seen
        )

    results = run_together(2, change)
    refused = [r for r in results if isinstance(r, services.ConcurrentChange)]
    stored = [r for r in results if not isinstance(r, Exception)]
    assert len(stored) == 1 and len(refused) == 1, results
    case.refresh_from_db()
    assert case.status == target
    assert list(case.history.values_list("sequence", flat=True)) == [1, 2]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_status_changes_of_two_cases_at_once_both_succeed():
    # Row locks, not a table lock: changing one case never refuses a change of another.
    case_type = make_case_type()
    cases = [open_case(case_type).case for _ in range(2)]
    target = status(case_type, "unvollstaendig")

    def change(index):
        case = Case.objects.get(pk=cases[index].pk)
        return services.change_status(case, target, actor=None, expected_status_id=case.status_id)

    results = run_together(2, change)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert all(Case.objects.get(pk=c.pk).status == target for c in cases)
