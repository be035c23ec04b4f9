"""`manage.py worker`: the task queue and every periodic sweep in one process."""

import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from tests.booking import conftest as booking
from tests.frontdesk.asgi_server import database_url_for_subprocess
from willkommen.booking import services
from willkommen.booking.models import Status
from willkommen.core import outbox
from willkommen.core.models import OutboxMail
from willkommen.core.tasks import deliver_mail

ROOT = Path(__file__).resolve().parents[2]
office, frozen_clock = booking.office, booking.frozen_clock  # booking's fixtures
# Committed for real: the worker closes its database connection after each job, as
# a long-running process must (inside a test's transaction that would end the test).
pytestmark = pytest.mark.django_db(transaction=True)


def test_once_expires_an_old_hold_and_sends_the_mails_waiting_in_the_outbox(office, frozen_clock):
    appointment = services.book(
        location=office.location,
        service=office.service,
        persons=1,
        starts_at=datetime(2027, 3, 11, 9, 0, tzinfo=booking.BERLIN),
        applicant=services.Applicant(name="Zoë Müller", email="zoe@example.org"),
    )
    assert OutboxMail.objects.filter(sent_at__isnull=True).count() == 1  # the hold's mail
    frozen_clock.return_value += timedelta(minutes=30)  # the hold ran out meanwhile

    out = StringIO()
    call_command("worker", "--once", stdout=out)

    appointment.refresh_from_db()
    assert appointment.status == Status.EXPIRED
    assert [message.to for message in mail.outbox] == [["zoe@example.org"]]
    assert not OutboxMail.objects.filter(sent_at__isnull=True).exists()
    report = out.getvalue()
    assert "send_outbox: sent 1 mail(s)" in report
    assert "holds expired: 1" in report
    for command in ("mark_no_shows", "purge_ratelimits", "apply_case_retention"):
        assert f"{command}: " in report  # every sweep had its turn


def test_once_runs_the_tasks_that_are_ready(db):
    with transaction.atomic():
        queued = outbox.queue_mail(to="ada@example.org", subject="Termin", body="Hallo")
    result = deliver_mail.enqueue(queued.pk)
    assert DBTaskResult.objects.get(id=result.id).status == "READY"

    call_command("worker", "--once", stdout=StringIO())

    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]


def test_a_failing_sweep_is_logged_and_the_others_still_run(db, settings, caplog):
    settings.WORKER_SWEEPS = [("no_such_command", 5), ("purge_ratelimits", 5)]
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    assert "sweep no_such_command failed" in caplog.text
    assert "purge_ratelimits: deleted 0" in out.getvalue()


def start_worker(**popen) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DATABASE_URL": database_url_for_subprocess(),
        "DEBUG": "true",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "worker"], cwd=ROOT, env=environment, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen,
    )  # fmt: skip
    assert process.stdout.readline().startswith("worker started")
    return process


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_worker_cleanly(number):
    process = start_worker()
    process.send_signal(number)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "worker stopped" in stdout
    assert "Traceback" not in stderr


def test_started_with_sigint_ignored_it_stays_ignored_and_sigterm_stops_it():
    """`make run` starts the worker as a shell's background job: Ctrl-C is the shell's
    to handle, and the shell stops the worker with SIGTERM."""
    process = start_worker(preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    process.send_signal(signal.SIGINT)
    with pytest.raises(subprocess.TimeoutExpired):
        process.wait(timeout=2)
    process.terminate()
    _stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
