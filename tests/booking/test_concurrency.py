"""Invariant 1 under real concurrency: many threads book the last places at once.

Runs on SQLite (writers serialised by BEGIN IMMEDIATE) and on PostgreSQL (row
locks and the re-checked conditional UPDATE). Each thread has its own database
connection, so the database, not Python, decides who wins.
"""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import close_old_connections, connection

from willkommen.booking import services
from willkommen.booking.errors import SlotTaken
from willkommen.booking.models import Appointment, Slot, SlotBooking, Status
from willkommen.booking.services import appointments

BERLIN = ZoneInfo("Europe/Berlin")
THREADS = 12


def _run_at_once(count, work):
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(index):
        try:
            barrier.wait()
            outcomes[index] = work(index)
        except Exception as exc:  # recorded and asserted on below
            outcomes[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persons", [1, 2])
def test_many_threads_book_the_last_places_exactly_capacity_wins(office, persons):
    starts_at = datetime(2027, 3, 11, 9, 0, tzinfo=BERLIN)

    def book(index):
        return services.book(
            location=office.location,
            service=office.service,
            persons=persons,
            starts_at=starts_at,
            applicant=services.Applicant(name=f"Person {index}", email=f"p{index}@example.org"),
        )

    outcomes = _run_at_once(THREADS, book)
    winners = [o for o in outcomes if isinstance(o, Appointment)]
    losers = [o for o in outcomes if isinstance(o, SlotTaken)]
    others = [o for o in outcomes if not isinstance(o, Appointment | SlotTaken)]
    assert others == []  # every loser got a clean "taken", nothing else
    assert len(winners) == 2  # the online capacity of each slot
    assert len(losers) == THREADS - 2
    for slot in Slot.objects.filter(location=office.location, channel="online"):
        assert slot.booked <= slot.capacity
        assert slot.booked == SlotBooking.objects.filter(slot=slot, returned_at=None).count()
    assert Appointment.objects.filter(status=Status.HELD).count() == 2


@pytest.mark.django_db(transaction=True)
def test_same_person_twice_at_once_gets_one_appointment(office):
    starts = [
        datetime(2027, 3, 11, 9, 0, tzinfo=BERLIN),
        datetime(2027, 3, 11, 10, 0, tzinfo=BERLIN),
    ]

    def book(index):
        return services.book(
            location=office.location,
            service=office.service,
            persons=1,
            starts_at=starts[index % 2],
            applicant=services.Applicant(name="Same Person", email="same@example.org"),
        )

    outcomes = _run_at_once(6, book)
    assert sum(isinstance(o, Appointment) for o in outcomes) == 1
    assert Appointment.objects.count() == 1
    assert sum(Slot.objects.values_list("booked", flat=True)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_confirmation_locks_the_appointment_not_its_location(office):
    """select_related + FOR UPDATE would lock the location's row as well; then every
    confirmation at a location would queue behind every other (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only (SQLite locks the whole database)")
    from django.db import transaction

    from willkommen.booking import links
    from willkommen.catalog.models import Location

    appointment = services.book(
        location=office.location,
        service=office.service,
        persons=1,
        starts_at=datetime(2027, 3, 11, 9, 0, tzinfo=BERLIN),
        applicant=services.Applicant(name="Ada", email="ada@example.org"),
    )
    token = links.make_token(appointment, links.CONFIRM)
    with transaction.atomic():
        appointments._by_token(token, links.CONFIRM)  # holds its lock until this block ends

        def lock_location(_index):
            with transaction.atomic():
                return Location.objects.select_for_update(nowait=True).get(pk=office.location.pk)

        (outcome,) = _run_at_once(1, lock_location)
    assert isinstance(outcome, Location), outcome
