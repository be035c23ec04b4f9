"""No event is lost when the sender is killed mid-delivery (ARCHITECTURE invariant 4)."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest

from tests.frontdesk.asgi_server import database_url_for_subprocess
from tests.frontdesk.factories import build_office, walk_in
from willkommen.events.models import Delivery, Subscriber

ROOT = Path(__file__).resolve().parents[2]
# Committed for real: the senders are other processes.
pytestmark = pytest.mark.django_db(transaction=True)


def sender(*args) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DATABASE_URL": database_url_for_subprocess(),
        "DEBUG": "true",
        "PYTHONDONTWRITEBYTECODE": "1",
        "EVENTS_LEASE_SECONDS": "1",  # a dead sender's claim runs out quickly
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "deliver_events", *args], cwd=ROOT, env=environment,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_a_sender_killed_mid_delivery_loses_nothing_and_resends_with_the_same_id(receiver):
    Subscriber.objects.create(name="Lager", url=receiver.url, secret="x" * 20)
    where = build_office()
    for _ in range(3):
        walk_in(where["location"], where["extend"])
    assert Delivery.objects.count() == 3

    receiver.hold = threading.Event()  # the first request is taken in and never answered
    first = sender()
    assert receiver.arrived.wait(60), first.communicate(timeout=5)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    in_flight = Delivery.objects.get(status=Delivery.Status.SENDING)
    assert Delivery.objects.filter(status=Delivery.Status.PENDING).count() == 2
    receiver.hold.set()  # the receiver answers into a closed connection
    receiver.hold = None

    time.sleep(1.2)  # the dead sender's lease runs out
    second = sender()
    stdout, stderr = second.communicate(timeout=60)
    assert second.returncode == 0, stderr
    assert stdout.strip() == "delivered 3 event(s), purged 0"

    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.DELIVERED}
    bodies = defaultdict(set)
    for request in receiver.received:
        bodies[json.loads(request.body)["id"]].add(request.body)
    assert set(bodies) == set(Delivery.objects.values_list("event_id", flat=True))
    assert all(len(sent) == 1 for sent in bodies.values())  # a resend is the same bytes
    assert len(receiver.received) == 4  # the one in flight arrived twice
    assert in_flight.event_id in bodies
