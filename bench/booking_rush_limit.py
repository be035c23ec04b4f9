"""The same Django application with at most BENCH_CONCURRENCY requests inside it per process.

Used by booking_rush.py when BENCH_CONCURRENCY is set, to compare: further requests
wait in the event loop (a coroutine each) instead of each holding a thread and a
database connection while they queue.
"""

import asyncio
import os

from willkommen.asgi import application as django_application

LIMIT = int(os.environ.get("BENCH_CONCURRENCY", "8"))
_gate: asyncio.Semaphore | None = None


async def application(scope, receive, send):
    global _gate
    if scope["type"] != "http":
        return await django_application(scope, receive, send)
    if _gate is None:
        _gate = asyncio.Semaphore(LIMIT)
    async with _gate:
        return await django_application(scope, receive, send)
