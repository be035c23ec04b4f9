"""Live call announcements for the waiting-room displays, across server processes.

A call is announced inside the transaction that records it:
- on PostgreSQL with ``NOTIFY`` (delivered by the server only when the transaction
  commits, to every process that ``LISTEN``s — each ASGI process keeps one
  listening connection, opened on the first display stream it serves);
- on SQLite through an in-process channel, woken after the commit.

An announcement carries no content, only "look again". Per process and location
one ``Feed`` reads the new calls from the database when woken — and at least every
``FRONTDESK_DISPLAY_POLL_SECONDS`` without a wake-up, which covers a call made by
another process on SQLite, a listener that is reconnecting, or a lost
notification — and hands them to all the display streams it serves. So twenty
screens cost one query per call, and a missed announcement delays a call by at
most the poll interval and never loses it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import OrderedDict, defaultdict

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from willkommen.core import listen

logger = logging.getLogger(__name__)

CHANNEL = "frontdesk_calls"
RECONNECT_SECONDS = 1.0
FEED_SIZE = 200  # calls a feed keeps for streams that join or lag


def announce(location_id: int) -> None:
    """Wake every display of ``location_id`` (call it inside the transaction of the call)."""
    db = transaction.get_connection()
    if db.vendor == "postgresql":
        with db.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(location_id)])
    else:
        transaction.on_commit(lambda: hub.wake(location_id))


class Subscription:
    """A wake-up flag for one location, living in the subscriber's event loop."""

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


class Feed:
    """The calls of one location for all display streams of this process and loop."""

    def __init__(self, hub: Hub, location):
        self.location = location
        self.calls: OrderedDict[int, object] = OrderedDict()
        self.changed = asyncio.Event()
        self.streams = 0
        self.subscription = hub.subscribe(location.pk)
        self.task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        # Off the thread that runs the sync views: a display read never queues behind
        # a clerk's request (and the reverse).
        read = sync_to_async(_read_calls, thread_sensitive=False)
        after = 0
        while True:
            try:
                rows = await read(self.location, after)
            except Exception:
                logger.warning("display feed could not read the calls", exc_info=True)
                rows = []
            fresh = [row for row in rows if row.id not in self.calls]
            if fresh:
                for row in fresh:
                    self.calls[row.id] = row
                while len(self.calls) > FEED_SIZE:
                    self.calls.popitem(last=False)
                after = max(after, *(row.id for row in fresh))
                previous, self.changed = self.changed, asyncio.Event()
                previous.set()
            await self.subscription.wait(settings.FRONTDESK_DISPLAY_POLL_SECONDS)

    def close(self) -> None:
        self.task.cancel()
        self.subscription.close()


class Hub:
    """The process's subscriptions and feeds per location, and (PostgreSQL) its listener."""

    def __init__(self):
        self._lock = threading.Lock()
        self._subscriptions: dict[int, set[Subscription]] = defaultdict(set)
        self._feeds: dict[tuple[asyncio.AbstractEventLoop, int], Feed] = {}
        self._listeners: dict[asyncio.AbstractEventLoop, asyncio.Task] = {}
        self._listening: dict[asyncio.AbstractEventLoop, asyncio.Event] = {}

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

    def feed(self, location) -> Feed:
        """The location's feed in this loop, started by its first stream."""
        key = (asyncio.get_running_loop(), location.pk)
        feed = self._feeds.get(key)
        if feed is None or feed.task.done():
            feed = self._feeds[key] = Feed(self, location)
        feed.streams += 1
        return feed

    def release(self, feed: Feed) -> None:
        """A stream ended; the last one stops the feed."""
        feed.streams -= 1
        if feed.streams <= 0:
            feed.close()
            key = (feed.subscription.loop, feed.location.pk)
            if self._feeds.get(key) is feed:
                del self._feeds[key]

    def wake(self, location_id: int) -> None:
        """Wake the subscribers of a location; safe from any thread."""
        with self._lock:
            subscriptions = list(self._subscriptions[location_id])
        for subscription in subscriptions:
            try:
                subscription.loop.call_soon_threadsafe(subscription.event.set)
            except RuntimeError:  # the loop is closed: the stream is gone
                self.unsubscribe(subscription)

    async def listening(self, timeout: float = 5.0) -> bool:
        """Wait until this loop's listener is subscribed (PostgreSQL); True at once on SQLite."""
        if connection.vendor != "postgresql":
            return True
        ready = self._listening.setdefault(asyncio.get_running_loop(), asyncio.Event())
        try:
            await asyncio.wait_for(ready.wait(), timeout)
            return True
        except TimeoutError:
            return False

    def _ensure_listener(self, loop: asyncio.AbstractEventLoop) -> None:
        task = self._listeners.get(loop)
        if task is None or task.done():
            self._listening.setdefault(loop, asyncio.Event())
            self._listeners[loop] = loop.create_task(self._listen(self._listening[loop]))

    async def _listen(self, ready: asyncio.Event) -> None:
        import psycopg

        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(listen.conninfo(), autocommit=True)
                async with conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    ready.set()
                    async for notify in conn.notifies():
                        try:
                            self.wake(int(notify.payload))
                        except ValueError:
                            logger.warning("ignored notification %r", notify.payload)
            except asyncio.CancelledError:
                raise
            except Exception:
                # The feeds keep polling meanwhile; nothing is lost, only delayed.
                logger.warning("display listener lost its connection; reconnecting", exc_info=True)
                ready.clear()
                await asyncio.sleep(RECONNECT_SECONDS)


def _read_calls(location, after: int) -> list:
    from willkommen.frontdesk import selectors

    try:
        return selectors.calls_after(location, after)
    except DatabaseError:
        connection.close()  # a broken connection is replaced on the next read
        raise
    finally:
        # On PostgreSQL a worker thread must not keep its connection: with
        # DB_POOL_MAX_SIZE it would hold a pool slot for good. SQLite keeps it
        # (reconnecting runs the PRAGMAs, which can wait for the write lock).
        if connection.vendor == "postgresql":
            connection.close()


hub = Hub()
