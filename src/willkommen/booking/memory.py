"""What each server process may remember for a second: booking's answers to questions
that thousands ask within the same second of a rush.

Which times are free, what a location's and service's booking set-up is, which slot
rows make up a time: in a rush every applicant asks these, and the answers change
seldom (the set-up, the rows) or are advice only (the free times: the hold itself is
decided by the database, and a time taken in the meantime gets a 409 with fresh
alternatives). So one query per second and process is enough.
BOOKING_AVAILABILITY_CACHE_SECONDS sets the second; 0 switches remembering off (the
tests, unless they test it). A change to the set-up may take that long to reach every
process.

Remembered model instances are shared between threads: whoever takes one only reads
it.
"""

import bisect
import json
import logging
import math
import threading
import time
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from willkommen.core import listen

logger = logging.getLogger(__name__)


class ProcessCache:
    """Answers kept for BOOKING_AVAILABILITY_CACHE_SECONDS, one computation at a time.

    When an answer runs out in a rush, every request thread of the process asks for it
    within the same few milliseconds, and each would compute it again (the same
    queries, at the worst moment). ``recall`` lets one thread compute while the others
    take the answer that just ran out: advice a few milliseconds older. Only when there
    is no answer at all yet do the others wait for the first one.
    """

    WAIT_SECONDS = 5  # longer than any computation; then a waiting thread computes itself

    def __init__(self, max_entries: int = 2000):
        self.max_entries = max_entries
        self.entries: dict[tuple, tuple[float, object]] = {}
        self.computing: dict[tuple, threading.Event] = {}
        self.lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return settings.BOOKING_AVAILABILITY_CACHE_SECONDS > 0

    def put(self, key, value) -> None:
        if not self.enabled:
            return
        with self.lock:
            if len(self.entries) >= self.max_entries:
                self.entries.clear()
            self.entries[key] = (time.monotonic(), value)

    def recall(self, key, compute, *, seconds: float | None = None):
        """The remembered answer for ``key``, or ``compute()``'s (then remembered).

        While another thread computes a new answer for ``key``, the one that just ran
        out is returned; with none at all, this thread waits for that thread's.
        ``seconds`` keeps this answer longer than BOOKING_AVAILABILITY_CACHE_SECONDS
        (only while remembering is on at all).
        """
        if not self.enabled:
            return compute()
        seconds = seconds or settings.BOOKING_AVAILABILITY_CACHE_SECONDS
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None and time.monotonic() - entry[0] <= seconds:
                return entry[1]
            underway = self.computing.get(key)
            if underway is None:
                self.computing[key] = threading.Event()
        if underway is not None:
            if entry is not None:
                return entry[1]
            underway.wait(self.WAIT_SECONDS)
            with self.lock:
                entry = self.entries.get(key)
            # Nothing there: the computation failed (each waiting thread then tries
            # itself and sees the error), or took longer than the wait.
            return entry[1] if entry is not None else compute()
        try:
            value = compute()
            self.put(key, value)
            return value
        finally:
            with self.lock:
                self.computing.pop(key).set()


process_cache = ProcessCache()

# Which slot rows make up a time changes only when the opening rules do (a new rule or
# release stage adds rows; counts are always read fresh). A booking reads the rows of
# its time from memory for this long: in a rush each process books each time only a
# few times a second, so a second's memory missed more often than it hit.
SLOT_ROWS_SECONDS = 60


class SeenFull:
    """Time steps seen full, so that remembered answers stop offering them before their
    second is up.

    In a rush the first applicants fill a time within a second, and for the rest of that
    second a remembered availability answer would still offer it: every applicant who
    picked it got a 409, waited, and tried again. A booking that finds a step full (its
    read, or its UPDATE), or that took a step's last unit, notes it here; a remembered
    answer made before that leaves out the times that cover the step.

    On PostgreSQL the other server processes learn it too: a step newly seen full is
    sent with NOTIFY, and each process listens (``core.listen``, a thread started with
    its first remembered answer). On SQLite, or with a notification lost, the other
    processes learn it from their own refusals or their next fresh answer. Advice only,
    like the answer itself.
    """

    CHANNEL = "booking_seen_full"

    def __init__(self, max_entries: int = 10_000):
        self.max_entries = max_entries
        self.steps: dict[tuple, dict] = {}  # scope → {step start: when seen (monotonic)}
        self.lock = threading.Lock()
        self.listener = None

    def note(self, scope: tuple, step_starts, *, share: bool = True) -> None:
        """``scope`` is (location id, capacity team id, channel)."""
        if not process_cache.enabled:
            return
        now = time.monotonic()
        with self.lock:
            if sum(len(seen) for seen in self.steps.values()) >= self.max_entries:
                self.steps.clear()
            seen = self.steps.setdefault(scope, {})
            # Told again only once the others' answers have been remade since.
            new = [
                start
                for start in step_starts
                if now - seen.get(start, -math.inf) > settings.BOOKING_AVAILABILITY_CACHE_SECONDS
            ]
            for start in step_starts:
                seen[start] = now
        if share and new and connection.vendor == "postgresql":
            self._tell_others(scope, new)

    def since(self, scope: tuple, moment: float) -> list:
        """The step starts of ``scope`` seen full after ``moment``, in time order."""
        if process_cache.enabled and connection.vendor == "postgresql":
            self.listen()
        with self.lock:
            seen = self.steps.get(scope)
            return sorted(start for start, at in seen.items() if at > moment) if seen else []

    def _tell_others(self, scope: tuple, starts: list) -> None:
        self.listen()
        payload = json.dumps([*scope, [start.isoformat() for start in starts]])
        try:
            with transaction.atomic():  # in a caller's transaction: a savepoint of its own
                listen.notify(self.CHANNEL, payload)
        except DatabaseError:  # advice: a lost notification costs a refusal elsewhere
            logger.warning("could not tell the other processes of a full time", exc_info=True)

    def _heard(self, payload: str) -> None:
        location_id, team_id, channel, starts = json.loads(payload)
        scope = (location_id, team_id, channel)
        self.note(scope, [datetime.fromisoformat(start) for start in starts], share=False)

    def listen(self) -> None:
        """Start this process's listener, once."""
        if self.listener is not None and self.listener.is_alive():
            return
        with self.lock:
            if self.listener is None or not self.listener.is_alive():
                self.listener = listen.Listener(self.CHANNEL, self._heard)
                self.listener.start()

    def stop_listening(self) -> None:
        listener, self.listener = self.listener, None
        if listener is not None:
            listener.stop()


seen_full = SeenFull()


def without_steps(times: list, step_starts: list) -> list:
    """The free times that cover none of the (sorted) step starts: what a remembered
    answer still offers once those steps were seen full."""
    if not step_starts:
        return times

    def covers_one(free) -> bool:  # [starts_at, ends_at) holds a step start
        index = bisect.bisect_left(step_starts, free.starts_at)
        return index < len(step_starts) and step_starts[index] < free.ends_at

    return [free for free in times if not covers_one(free)]
