"""Times seen full reach the other server processes (PostgreSQL NOTIFY, memory.seen_full)."""

import json
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import psycopg
import pytest
from django.db import connection

from willkommen.booking import services
from willkommen.booking.errors import SlotTaken
from willkommen.booking.memory import seen_full
from willkommen.core import listen

BERLIN = ZoneInfo("Europe/Berlin")
THURSDAY_9 = datetime(2027, 3, 11, 9, 0, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def postgresql_only(settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "NOTIFY between processes: PostgreSQL only (on SQLite each process learns alone)"
        )
    settings.BOOKING_AVAILABILITY_CACHE_SECONDS = 60


def hold(office, n):
    return services.book(
        location=office.location,
        service=office.service,
        persons=1,
        starts_at=THURSDAY_9,
        applicant=services.Applicant(name=f"Person {n}", email=f"p{n}@example.org"),
    )


def wait_for(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_the_booking_that_takes_the_last_place_tells_the_other_processes(office):
    with psycopg.connect(listen.conninfo(), autocommit=True) as other:
        other.execute(f'LISTEN "{seen_full.CHANNEL}"')
        hold(office, 1)
        hold(office, 2)  # the last of the two online places at 09:00
        heard = [json.loads(n.payload) for n in other.notifies(timeout=5, stop_after=1)]
        with pytest.raises(SlotTaken):
            hold(office, 3)  # refused: already told within the second, not again
        again = list(other.notifies(timeout=0.5))
    utc = THURSDAY_9.astimezone(ZoneInfo("UTC")).isoformat()
    assert heard == [[office.location.pk, None, "online", [utc]]]
    assert again == []


@pytest.mark.django_db(transaction=True)
def test_what_another_process_saw_full_is_left_out_here(client, office):
    query = {
        "location": office.location.slug, "service": office.service.slug,
        "from": "2027-03-11", "days": 1,
    }  # fmt: skip

    def starts():
        answer = client.get("/api/v1/availability", query).json()
        return [slot["starts_at"][11:16] for slot in answer["slots"]]

    first = starts()  # remembered now, and this process listens
    assert "08:00" in first  # 09:00 in Berlin
    assert seen_full.listener.listening.wait(5)
    payload = json.dumps([office.location.pk, None, "online", [THURSDAY_9.isoformat()]])
    with psycopg.connect(listen.conninfo(), autocommit=True) as other:  # "another process"
        other.execute("SELECT pg_notify(%s, %s)", [seen_full.CHANNEL, payload])
    assert wait_for(lambda: "08:00" not in starts())
    assert starts() == [t for t in first if t != "08:00"]


@pytest.mark.django_db
def test_a_failed_notification_is_logged_and_leaves_the_callers_transaction_usable(
    office, monkeypatch, caplog
):
    from django.db import transaction

    from willkommen.booking.models import Slot

    def broken(channel, payload):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(")  # a real database error

    monkeypatch.setattr(listen, "notify", broken)
    monkeypatch.setattr(seen_full, "listen", lambda: None)
    with transaction.atomic():
        seen_full._tell_others((office.location.pk, None, "online"), [THURSDAY_9])
        assert Slot.objects.filter(location=office.location).exists()  # still usable
    assert "could not tell the other processes" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_the_warm_up_listens_before_the_first_request():
    from django.apps import apps

    assert seen_full.listener is None or not seen_full.listener.is_alive()
    apps.get_app_config("booking").warm_up()
    # Listening already: news of the rush's first second reach this process too.
    assert seen_full.listener.is_alive() and seen_full.listener.listening.is_set()


@pytest.mark.django_db
def test_without_remembering_the_warm_up_starts_no_listener(settings):
    from django.apps import apps

    settings.BOOKING_AVAILABILITY_CACHE_SECONDS = 0
    apps.get_app_config("booking").warm_up()
    assert seen_full.listener is None


@pytest.mark.django_db
def test_an_unreachable_listener_delays_the_warm_up_only_briefly(monkeypatch):
    from django.apps import apps

    from willkommen.booking import apps as booking_apps

    monkeypatch.setattr(listen, "conninfo", lambda: "host=127.0.0.1 port=1 dbname=none")
    monkeypatch.setattr(booking_apps, "LISTEN_WAIT_SECONDS", 0.3)
    started = time.monotonic()
    apps.get_app_config("booking").warm_up()  # returns: the process serves without it
    assert time.monotonic() - started < 5
    assert seen_full.listener.is_alive() and not seen_full.listener.listening.is_set()
