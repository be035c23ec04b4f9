"""Live call announcements for the waiting-room displays, across server processes.

A call is announced inside the transaction that records it:
- on PostgreSQL with ``NOTIFY`` (delivered by the server only when the transaction
  commits, to every process that ``LISTEN``s — each ASGI process keeps one
  listening connection, opened on the first display stream it serves);
- on SQLite through an in-process channel, woken after the commit.

A display stream never trusts the announcement for content: it only wakes up and
reads the calls after the last one it sent from the database. It also re-reads
every ``FRONTDESK_DISPLAY_POLL_SECONDS`` without a wake-up, which covers a call
made by another process on SQLite, a listener that is reconnecting, or a lost
notification. So a missed announcement delays a call by at most that interval and
never loses it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import defaultdict

from django.db import connection, transaction

logger = logging.getLogger(__name__)

CHANNEL = "frontdesk_calls"
RECONNECT_SECONDS = 1.0


def announce(location_id: int) -> None:
    """Wake every display of ``location_id`` (call it inside the transaction of the call)."""
    db = transaction.get_connection()
    if db.vendor == "postgresql":
        with db.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(location_id)])
    else:
        transaction.on_commit(lambda: hub.wake(location_id))


class Subscription:
    """One display stream's wake-up flag, living in the stream's event loop."""

    def __init__(self, hub: Hub, location_id: int):
        self.hub = hub
        self.location_id = location_id
        self.loop = asyncio.get_running_loop()
        self.event = asyncio.Event()

    async def wait(self, timeout: float) -> bool:
        """Wait for a wake-up or the timeout; True when woken. Clears the flag."""
        try:
            await asyncio.wait_for(self.event.wait(), timeout)
            return True
        except TimeoutError:
            return False
        finally:
            self.event.clear()

    def close(self):
        self.hub.unsubscribe(self)


class Hub:
    """The process's subscriptions per location, and (on PostgreSQL) its listener."""

    def __init__(self):
        self._lock = threading.Lock()
        self._subscriptions: dict[int, set[Subscription]] = defaultdict(set)
        self._listeners: dict[asyncio.AbstractEventLoop, asyncio.Task] = {}

    def subscribe(self, location_id: int) -> Subscription:
        subscription = Subscription(self, location_id)
        with self._lock:
            self._subscriptions[location_id].add(subscription)
        if connection.vendor == "postgresql":
            self._ensure_listener(subscription.loop)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscriptions[subscription.location_id].discard(subscription)

    def subscribers(self, location_id: int) -> int:
        with self._lock:
            return len(self._subscriptions[location_id])

    def wake(self, location_id: int) -> None:
        """Wake the streams of a location; safe from any thread."""
        with self._lock:
            subscriptions = list(self._subscriptions[location_id])
        for subscription in subscriptions:
            try:
                subscription.loop.call_soon_threadsafe(subscription.event.set)
            except RuntimeError:  # the loop is closed: the stream is gone
                self.unsubscribe(subscription)

    def _ensure_listener(self, loop: asyncio.AbstractEventLoop) -> None:
        task = self._listeners.get(loop)
        if task is None or task.done():
            self._listeners[loop] = loop.create_task(self._listen())

    async def _listen(self) -> None:
        import psycopg

        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(_conninfo(), autocommit=True)
                async with conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    async for notify in conn.notifies():
                        try:
                            self.wake(int(notify.payload))
                        except ValueError:
                            logger.warning("ignored notification %r", notify.payload)
            except asyncio.CancelledError:
                raise
            except Exception:
                # The streams keep polling meanwhile; nothing is lost, only delayed.
                logger.warning("display listener lost its connection; reconnecting", exc_info=True)
                await asyncio.sleep(RECONNECT_SECONDS)


def _conninfo() -> str:
    from psycopg.conninfo import make_conninfo

    settings_dict = connection.settings_dict
    params = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
    }
    return make_conninfo(**{key: value for key, value in params.items() if value})


hub = Hub()
