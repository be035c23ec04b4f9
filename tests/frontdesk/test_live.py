"""The display's live path: the wake-up channel, and the event stream under uvicorn."""

import asyncio
import json
import time

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.db import connection, transaction

from tests.frontdesk.asgi_server import AsgiServer, database_url_for_subprocess
from tests.frontdesk.factories import clerk_at, walk_in
from willkommen.frontdesk import services
from willkommen.frontdesk.live import hub

pytestmark = pytest.mark.django_db(transaction=True)


class RolledBack(Exception):
    pass


def test_a_committed_call_wakes_the_locations_displays_and_a_rolled_back_one_does_not(office):
    location = office["location"]
    walk_in(location, office["extend"])
    walk_in(location, office["extend"])
    clerk = clerk_at(office["family_counter"])
    other = clerk_at(office["family_counter_2"])

    def call_and_roll_back():
        try:
            with transaction.atomic():
                services.call_next(user=other)
                raise RolledBack
        except RolledBack:
            pass

    async def scenario():
        subscription = hub.subscribe(location.pk)
        elsewhere = hub.subscribe(location.pk + 1000)
        try:
            assert await hub.listening()
            await sync_to_async(call_and_roll_back, thread_sensitive=False)()
            assert not await subscription.wait(0.5), "woken by a rolled-back call"
            started = time.monotonic()
            await sync_to_async(services.call_next, thread_sensitive=False)(user=clerk)
            assert await subscription.wait(2)
            woke_after = time.monotonic() - started
            assert not await elsewhere.wait(0.3)
            return woke_after
        finally:
            subscription.close()
            elsewhere.close()

    assert asyncio.run(scenario()) < 1.0
    assert hub.subscribers(location.pk) == 0


def read_events(lines, count, timeout):
    """Read ``count`` call events from the lines of an open SSE response."""
    events, data, deadline = [], {}, time.monotonic() + timeout
    for line in lines:
        if line.startswith("id: "):
            data["id"] = int(line[4:])
        elif line.startswith("data: "):
            data.update(json.loads(line[6:]))
        elif line == "" and data:
            events.append(data)
            data = {}
            if len(events) == count:
                return events
        if time.monotonic() > deadline:
            break
    return events


def test_the_event_stream_under_uvicorn_delivers_calls_from_another_process(office, settings):
    location = office["location"]
    first, second = walk_in(location, office["extend"]), walk_in(location, office["extend"])
    clerk = clerk_at(office["family_counter"])
    services.call_next(user=clerk)  # before the display connects: sent as backlog
    server = AsgiServer(database_url_for_subprocess())
    try:
        url = f"{server.url}/de/display/{location.slug}/events"
        with httpx.stream("GET", url, params={"after": 0}, timeout=10) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = response.iter_lines()
            [backlog] = read_events(lines, 1, timeout=5)
            assert backlog["ticket"] == first.ticket and backlog["counter"] == "Raum 1"
            services.start(first.pk, user=clerk)
            services.hold(first.pk, user=clerk)
            started = time.monotonic()
            services.call_visit(second.pk, user=clerk)
            [live] = read_events(lines, 1, timeout=5)
            latency = time.monotonic() - started
        assert live["ticket"] == second.ticket and live["id"] > backlog["id"]
        # PostgreSQL wakes the other process at once (NOTIFY); on SQLite the stream's
        # own re-read every FRONTDESK_DISPLAY_POLL_SECONDS picks it up.
        bound = (
            1.0
            if connection.vendor == "postgresql"
            else settings.FRONTDESK_DISPLAY_POLL_SECONDS + 1
        )
        assert latency < bound
        # A reconnecting display sends Last-Event-ID and gets only what it missed.
        with httpx.stream(
            "GET", url, headers={"Last-Event-ID": str(backlog["id"])}, timeout=10
        ) as response:
            events = read_events(response.iter_lines(), 1, timeout=5)
            assert [e["ticket"] for e in events] == [second.ticket]
    finally:
        server.stop()
