"""All background work in one process: the task queue and the periodic sweeps.

django-tasks 0.12 has no periodic tasks, so this is one loop: it runs each sweep of
``settings.WORKER_SWEEPS`` whose interval has passed (a sweep is an app's own
management command: the outbox retry, the booking sweep, no-shows, ...), then every
task that is ready (django-tasks-db's own worker, in batch mode), then waits until the
next sweep is due or it is time to look at the queue again. Every HEARTBEAT_SECONDS
it records its heartbeat (``core.models.WorkerHeartbeat``), which /healthz checks.

SIGTERM and SIGINT let the job running now finish, then the process exits with 0. A
second signal stops it at once. Started with SIGINT ignored (a background job of a
shell, as ``make run`` starts it), it stays ignored: the shell stops it with SIGTERM.
"""

from __future__ import annotations

import logging
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from willkommen.core import clock, health

logger = logging.getLogger("willkommen.worker")
# How often the loop records its heartbeat (/healthz checks it; HEALTHZ_WORKER_MAX_AGE).
HEARTBEAT_SECONDS = 15.0
# A sweep's report is printed when it did something (a number other than 0 in it).
SOMETHING_DONE = re.compile(r"\b[1-9][0-9]*\b")


@dataclass
class Sweep:
    command: str
    every: float
    due: float = 0.0  # time.monotonic() at which it runs next

    def run(self) -> str:
        """Run the command once; what it printed. A failure is logged and the worker
        goes on: the sweep runs again at its next turn."""
        out = StringIO()
        try:
            call_command(self.command, stdout=out)
        except Exception:
            logger.exception("sweep %s failed", self.command)
        finally:
            close_old_connections()
            self.due = time.monotonic() + self.every
        return out.getvalue().strip()


class Command(BaseCommand):
    help = (
        "Run all background work in one process: the task queue and the periodic sweeps "
        "(settings.WORKER_SWEEPS). --once runs each sweep and the ready tasks once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="run every sweep and the ready tasks, then exit"
        )
        parser.add_argument("--queue-name", default="default", help="the task queue to work")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at the task queue"
        )

    def handle(self, *args, once, queue_name, interval, **options):
        logging.getLogger("django_tasks_db").setLevel(logging.WARNING)  # its loop, each second
        self.stopping = threading.Event()
        self.tasks = Worker(
            queue_names=[queue_name],
            interval=0,
            batch=True,  # run what is ready, then come back to this loop
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        sweeps = [Sweep(command, float(every)) for command, every in settings.WORKER_SWEEPS]
        if not once:
            self._catch_signals()
            names = ", ".join(f"{s.command} every {s.every:g} s" for s in sweeps)
            self.stdout.write(f"worker started: tasks of queue {queue_name!r}; {names}")
            self.stdout.flush()
        name, started_at, next_beat = health.worker_name(), clock.now(), 0.0
        while not self.stopping.is_set():
            if time.monotonic() >= next_beat:
                next_beat = time.monotonic() + HEARTBEAT_SECONDS
                self._beat(name, started_at)
            for sweep in sweeps:
                if self.stopping.is_set():
                    break
                if once or sweep.due <= time.monotonic():
                    said = sweep.run()
                    if once or SOMETHING_DONE.search(said):
                        self.stdout.write(f"{sweep.command}: {said}")
            if not self.stopping.is_set():
                self.tasks.run()
            if once:
                return
            next_sweep = min((s.due for s in sweeps), default=time.monotonic() + interval)
            self.stopping.wait(max(0.0, min(interval, next_sweep - time.monotonic())))
        self.stdout.write("worker stopped")

    def _beat(self, name, started_at):
        try:
            health.beat(name, started_at)
        except Exception:  # a database hiccup: the next beat tries again; /healthz tells
            logger.exception("could not record the worker's heartbeat")
        finally:
            close_old_connections()

    def _catch_signals(self):
        for number in (signal.SIGTERM, signal.SIGINT):
            if signal.getsignal(number) is signal.SIG_IGN:
                continue  # ignored by whoever started us: leave it so
            signal.signal(number, self._stop)

    def _stop(self, number, frame):
        if self.stopping.is_set():
            sys.exit(1)  # asked twice: do not wait for the job
        logger.info("%s: stopping after the current job", signal.strsignal(number))
        self.stopping.set()
        self.tasks.running = False  # the task loop stops after the task it runs
