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

import threading
import time

from django.conf import settings


class ProcessCache:
    def __init__(self, max_entries: int = 2000):
        self.max_entries = max_entries
        self.entries: dict[tuple, tuple[float, object]] = {}
        self.lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return settings.BOOKING_AVAILABILITY_CACHE_SECONDS > 0

    def get(self, key):
        seconds = settings.BOOKING_AVAILABILITY_CACHE_SECONDS
        if seconds <= 0:
            return None
        with self.lock:
            entry = self.entries.get(key)
        if entry is None or time.monotonic() - entry[0] > seconds:
            return None
        return entry[1]

    def put(self, key, value) -> None:
        if not self.enabled:
            return
        with self.lock:
            if len(self.entries) >= self.max_entries:
                self.entries.clear()
            self.entries[key] = (time.monotonic(), value)

    def recall(self, key, compute):
        """The remembered answer for ``key``, or ``compute()``'s (then remembered)."""
        found = self.get(key)
        if found is None:
            found = compute()
            self.put(key, found)
        return found


process_cache = ProcessCache()


class SeenFull:
    """Time steps this process has seen full, so that answers it remembers stop offering
    them before their second is up.

    In a rush the first applicants fill a time within a second, and for the rest of that
    second the remembered availability answer would still offer it: every applicant who
    picks it gets a 409. A booking that finds a step full (its read, or its UPDATE)
    notes it here; a remembered answer made before that leaves out the times that cover
    the step. Other processes learn it from their own refusals, or with their next
    fresh answer. Advice only, like the answer itself.
    """

    def __init__(self, max_entries: int = 10_000):
        self.max_entries = max_entries
        self.steps: dict[tuple, dict] = {}  # scope → {step start: when seen (monotonic)}
        self.lock = threading.Lock()

    def note(self, scope: tuple, step_starts) -> None:
        if not process_cache.enabled:
            return
        now = time.monotonic()
        with self.lock:
            if sum(len(seen) for seen in self.steps.values()) >= self.max_entries:
                self.steps.clear()
            seen = self.steps.setdefault(scope, {})
            for start in step_starts:
                seen[start] = now

    def since(self, scope: tuple, moment: float) -> list:
        """The step starts of ``scope`` seen full after ``moment``, in time order."""
        with self.lock:
            seen = self.steps.get(scope)
            return sorted(start for start, at in seen.items() if at > moment) if seen else []


seen_full = SeenFull()
