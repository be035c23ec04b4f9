"""/healthz: the database, the outbox's age and the worker's heartbeat; 503 when one fails."""

import json
import os
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.booking import conftest as booking
from tests.core.django_process import run_django
from willkommen.core import health, outbox
from willkommen.core.models import OutboxMail, WorkerHeartbeat

frozen_clock = booking.frozen_clock  # booking's fixture
pytestmark = pytest.mark.django_db


def checks_of(answer) -> dict:
    return {name: check["ok"] for name, check in answer.json()["checks"].items()}


def test_with_a_fresh_heartbeat_and_no_old_mail_it_is_healthy(client, frozen_clock):
    health.beat("web-1:42", frozen_clock.return_value)
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"
    assert checks_of(answer) == {"database": True, "outbox": True, "worker": True}
    assert answer["Cache-Control"].startswith("max-age=0")


def test_without_any_worker_it_fails(client):
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["status"] == "failing"
    assert answer.json()["checks"]["worker"] == {
        "ok": False,
        "detail": "no worker has reported (manage.py worker)",
    }
    assert client.get("/healthz/live").status_code == 200  # this node itself is fine


def test_a_worker_silent_for_too_long_fails_it(client, frozen_clock, settings):
    settings.HEALTHZ_WORKER_MAX_AGE = 180
    health.beat("web-1:42", frozen_clock.return_value)
    frozen_clock.return_value += timedelta(seconds=181)
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert checks_of(answer)["worker"] is False
    assert "181 s ago" in answer.json()["checks"]["worker"]["detail"]
    health.beat("web-2:7", frozen_clock.return_value)  # another worker is alive
    assert client.get("/healthz").status_code == 200


def test_a_mail_waiting_too_long_fails_it(client, frozen_clock, settings):
    settings.HEALTHZ_OUTBOX_MAX_AGE = 900
    with transaction.atomic():
        mail = outbox.queue_mail(to="ada@example.org", subject="Termin", body="Hallo")
    OutboxMail.objects.filter(pk=mail.pk).update(created_at=frozen_clock.return_value)
    health.beat("web-1:42", frozen_clock.return_value)
    frozen_clock.return_value += timedelta(seconds=600)
    health.beat("web-1:42", frozen_clock.return_value)
    assert client.get("/healthz").status_code == 200
    frozen_clock.return_value += timedelta(seconds=301)
    health.beat("web-1:42", frozen_clock.return_value)
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert checks_of(answer) == {"database": True, "outbox": False, "worker": True}
    assert "901 s" in answer.json()["checks"]["outbox"]["detail"]
    OutboxMail.objects.filter(pk=mail.pk).update(status=OutboxMail.Status.SENT)
    assert client.get("/healthz").status_code == 200


def test_the_worker_check_can_be_switched_off(client, settings):
    settings.HEALTHZ_WORKER_MAX_AGE = 0
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_worker_records_its_heartbeat(client):
    call_command("worker", "--once", stdout=StringIO())
    beat = WorkerHeartbeat.objects.get()
    assert beat.worker.endswith(f":{os.getpid()}")
    assert client.get("/healthz").status_code == 200


def test_old_heartbeats_of_gone_workers_are_forgotten(frozen_clock):
    health.beat("old:1", frozen_clock.return_value)
    frozen_clock.return_value += timedelta(days=2)
    health.beat("new:2", frozen_clock.return_value)
    assert list(WorkerHeartbeat.objects.values_list("worker", flat=True)) == ["new:2"]


def test_without_a_database_both_answer_503():
    """A real unreachable database: nothing listens on the port given."""
    run = run_django(
        "import json\n"
        "c = Client()\n"
        "full, live = c.get('/healthz'), c.get('/healthz/live')\n"
        "print(json.dumps([full.status_code, full.json(), live.status_code]))\n",
        DATABASE_URL="postgres://nobody@127.0.0.1:9/none",
    )
    full_status, full, live_status = json.loads(run.stdout.strip().splitlines()[-1])
    assert (full_status, live_status) == (503, 503)
    assert list(full["checks"]) == ["database"]
    assert full["checks"]["database"]["ok"] is False
