"""Booking capacity: how many holds with their confirmation the real server completes per
second, and what each costs in CPU, in the server processes and in PostgreSQL.

Run from the repository root: .venv/bin/python bench/booking_capacity.py
Needs PostgreSQL and nginx like bench/booking_rush.py, whose set-up and servers it
uses (the production set-up of deploy/stack.py, same settings), with room enough that
nothing is refused: 3 days of 10-minute slots from 08:00 to 18:00 with 200 places
each. BENCH_CLIENTS applicants
(default 8) book one after another without pause (closed loop) for BENCH_SECONDS
(default 8) after 3 s of warming. The CPU is read from /proc for the server's process
tree (gunicorn's master and workers) and for every PostgreSQL process.

Where the rush (booking_rush.py) shows what applicants wait, this shows why: the rush's
first seconds ask for about 100 such pairs a second, plus the searches.
"""

import asyncio
import os
import sys
import time
from datetime import time as wall
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
import booking_rush as rush  # the same set-up, server and client

CLIENTS = int(os.environ.get("BENCH_CLIENTS", 8))
SECONDS = float(os.environ.get("BENCH_SECONDS", 8))
rush.DB_NAME = f"willkommen_bench_capacity_{os.getpid()}"


def roomy_office():
    from willkommen.booking import services
    from willkommen.booking.models import OpeningRule
    from willkommen.catalog.models import Location

    location, service, _days = rush.prepare_office()
    OpeningRule.objects.update(online_capacity=200, end_time=wall(18, 0))
    services.materialise_slots(Location.objects.get(slug=location))
    return location, service


async def measure(url, location, service, server_pid):
    connector = aiohttp.TCPConnector(limit=CLIENTS)
    async with aiohttp.ClientSession(connector=connector) as session:
        client = rush.Client(session, url)
        query = {"location": location, "service": service, "days": 60}
        times = (await client.get("/api/v1/availability", query)).json()["slots"]
        numbers = iter(range(10**9))
        pairs: list[float] = []
        refused = 0

        async def applicant(until):
            nonlocal refused
            while time.perf_counter() < until:
                n = next(numbers)
                started = time.perf_counter()
                body = {
                    "location": location, "service": service, "persons": 1,
                    "starts_at": times[n % len(times)]["starts_at"], "name": f"Applicant {n}",
                    "email": f"applicant{n}@example.org", "consent": True,
                }  # fmt: skip
                held = await client.post("/api/v1/holds", body)
                if held.status != 201:
                    refused += 1
                    continue
                token = rush.confirm_token(held.json()["reference"])
                done = await client.post("/api/v1/holds/confirm", {"token": token})
                if done.status != 200:
                    refused += 1
                    continue
                pairs.append((time.perf_counter() - started) * 1000)

        await asyncio.gather(*(applicant(time.perf_counter() + 3) for _ in range(CLIENTS)))
        pairs.clear()
        server_before, postgres_before = rush.cpu_ticks(server_pid), rush.cpu_ticks(None)
        started = time.perf_counter()
        await asyncio.gather(*(applicant(started + SECONDS) for _ in range(CLIENTS)))
        elapsed = time.perf_counter() - started
        server = rush.cpu_seconds_since(server_before, server_pid)
        postgres = rush.cpu_seconds_since(postgres_before, None)
    return pairs, refused, elapsed, server, postgres


def main():
    env = rush.server_environment()
    rush.recreate_database()
    rush.setup_django(env)
    location, service = roomy_office()
    from django.db import connections

    connections.close_all()
    servers = rush.start_stack(env)
    try:
        pairs, refused, elapsed, server_cpu, postgres_cpu = asyncio.run(
            measure(servers.url, location, service, servers.processes["gunicorn"].pid)
        )
    finally:
        servers.stop()
    from django.db import connections

    connections.close_all()
    count = max(1, len(pairs))
    print(
        f"{CLIENTS} applicants without pause for {elapsed:.1f} s through nginx and gunicorn: "
        f"{len(pairs)} holds confirmed, {refused} refused"
    )
    print(
        f"RESULT pairs_per_s={len(pairs) / elapsed:.0f} "
        f"server_cpu_ms_per_pair={server_cpu / count * 1000:.1f} "
        f"postgres_cpu_ms_per_pair={postgres_cpu / count * 1000:.1f} "
        f"pair_p50_ms={rush.percentile(pairs, 0.5):.0f} "
        f"pair_p99_ms={rush.percentile(pairs, 0.99):.0f} refused={refused}"
    )
    import psycopg

    with psycopg.connect(rush.SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{rush.DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    main()
