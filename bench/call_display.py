"""From "call next" to the waiting-room displays (issue 4 target: p99 < 1 s, 20 displays).

Run from the repository root: .venv/bin/python bench/call_display.py
  [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--workers N]

Starts the production set-up (deploy/stack.py: nginx with the shipped configuration)
on a fresh benchmark database (SQLite in var/bench/ by default; with a PostgreSQL URL,
a database created and dropped on that server), opens 20 server-sent-event display
connections, and lets 200 clerks press "call next" (8 at a time, each clerk once,
through the real view with session and CSRF). Measures, for every call and every
display, the time from sending the request to the event arriving; counts visitors
called twice and events delivered twice; and the rate of "call next" requests. On
PostgreSQL the calls go through nginx to gunicorn (--workers N processes, default
deploy/gunicorn.conf.py's) and the streams to uvicorn: LISTEN/NOTIFY carries each call
across. On SQLite one uvicorn serves both behind nginx (its channel is in-process).
"""

import argparse
import asyncio
import json
import os
import secrets
import statistics
import sys
import time
from collections import Counter as Tally
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "deploy"))

import httpx  # noqa: E402
import stack  # noqa: E402  (deploy/stack.py)

LOCATION = "bench"


def prepare_database(server_url: str | None) -> tuple[str, callable]:
    """A fresh database URL, and how to remove it afterwards."""
    if server_url and server_url.startswith("postgres"):
        import psycopg

        name = f"willkommen_bench_{secrets.token_hex(4)}"
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        base = server_url.rsplit("/", 1)[0]

        def drop():
            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return f"{base}/{name}", drop
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"call_display_{secrets.token_hex(4)}.sqlite3"

    def remove():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    return f"sqlite:///{path}", remove


def seed(calls: int) -> list[tuple[str, str]]:
    """Visitors, clerks signed in at counters, and a logged-in session per clerk."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from willkommen.accounts.models import Team, User
    from willkommen.catalog.models import Counter, Location, Service, ServiceCategory
    from willkommen.frontdesk import services
    from willkommen.frontdesk.models import TicketSeries

    team = Team.objects.create(slug="bench", name="Bench")
    location = Location.objects.create(
        slug=LOCATION, name={"de": "Bench"}, street="-", postcode="00000", city="-", state="BY"
    )
    category = ServiceCategory.objects.create(slug="bench", name={"de": "Bench"})
    TicketSeries.objects.create(category=category, prefix="A")
    service = Service.objects.create(
        slug="bench", category=category, name={"de": "Bench"}, short_description={"de": "-"},
        duration_minutes=10, team=team,
    )  # fmt: skip
    for _ in range(calls):
        services.issue_ticket(location=location, service=service, persons_present=1, actor=None)
    clerk_role = Group.objects.get(name="clerk")
    sessions = []
    for index in range(calls):
        user = User.objects.create(username=f"clerk{index:03d}")
        user.groups.add(clerk_role)
        user.teams.add(team)
        counter = Counter.objects.create(location=location, name=f"Platz {index:03d}", team=team)
        services.sign_in(user=user, counter=counter)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append((counter.name, session.session_key))
    from django.db import connection

    if connection.vendor == "sqlite":
        # Start from a checkpointed file, as a running office would be, so the
        # seeding's pages are not written back during the measurement.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sessions


def start_stack(env: dict, postgres: bool, workers: int | None) -> stack.Stack:
    servers = stack.Stack(env, single=not postgres, web_workers=workers)
    servers.collectstatic()  # DEBUG off: the pages (a 404 too) need the manifest
    return servers.start()


async def display(url, seen: dict, connected, stop) -> int:
    """One waiting-room screen: record when each call event arrives; count repeats."""
    duplicates = 0
    timeout = httpx.Timeout(30, read=None)
    async with (
        httpx.AsyncClient(timeout=timeout) as client,
        client.stream("GET", f"{url}/de/display/{LOCATION}/events") as response,
    ):
        event_id = counter = None
        async for line in response.aiter_lines():
            if line.startswith("retry:"):
                connected.release()
            elif line.startswith("id: "):
                event_id = int(line[4:])
            elif line.startswith("data: "):
                counter = json.loads(line[6:])["counter"]
            elif line == "" and event_id is not None:
                if event_id in seen:
                    duplicates += 1
                else:
                    seen[event_id] = (counter, time.perf_counter())
                event_id = None
            if stop.is_set():
                break
    return duplicates


async def run(url, sessions, displays, concurrency):
    received: list[dict] = [{} for _ in range(displays)]
    connected = asyncio.Semaphore(0)
    stop = asyncio.Event()
    screens = [asyncio.create_task(display(url, seen, connected, stop)) for seen in received]
    for _ in range(displays):
        await asyncio.wait_for(connected.acquire(), 30)
    await asyncio.sleep(1.0)  # every server process has its listener subscribed

    sent: dict[str, float] = {}
    statuses = Tally()
    gate = asyncio.Semaphore(concurrency)
    csrf = secrets.token_hex(16)  # 32 alphanumerics, as Django expects
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def call(counter, session_key):
            async with gate:
                sent[counter] = time.perf_counter()
                response = await client.post(
                    f"{url}/de/staff/frontdesk/clerk/next/",
                    headers={
                        "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
                        "X-CSRFToken": csrf,
                    },
                )
                statuses[response.status_code] += 1

        started = time.perf_counter()
        await asyncio.gather(*(call(counter, key) for counter, key in sessions))
        elapsed = time.perf_counter() - started

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if all(len(events) >= len(sessions) for events in received):
            break
        await asyncio.sleep(0.05)
    stop.set()
    duplicates = 0
    for task in screens:
        task.cancel()
    for outcome in await asyncio.gather(*screens, return_exceptions=True):
        if isinstance(outcome, int):
            duplicates += outcome
    return received, sent, statuses, elapsed, duplicates


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--displays", type=int, default=20)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()

    database_url, remove_database = prepare_database(args.database_url)
    postgres = database_url.startswith("postgres")
    env = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "false",
        "RATE_LIMITS_ENABLED": "false",
        "DJANGO_SETTINGS_MODULE": "willkommen.settings",
        "LOG_LEVEL": "WARNING",
        "SECURE_COOKIES": "false",
    }
    os.environ.update(env)
    servers = None
    try:
        sessions = seed(args.calls)
        from django.db import connections

        connections.close_all()
        servers = start_stack(env, postgres, args.workers)
        received, sent, statuses, elapsed, display_duplicates = asyncio.run(
            run(servers.url, sessions, args.displays, args.concurrency)
        )
    finally:
        if servers is not None:
            servers.stop()
    from willkommen.frontdesk.models import VisitTransition

    calls_per_visit = Tally(
        VisitTransition.objects.filter(action="call").values_list("visit_id", flat=True)
    )
    twice = sum(n - 1 for n in calls_per_visit.values() if n > 1)
    remove_database()

    latencies = [
        (arrived - sent[counter]) * 1000
        for events in received
        for counter, arrived in events.values()
        if counter in sent
    ]
    if os.environ.get("BENCH_DEBUG"):
        order = sorted(sent, key=sent.get)
        for events in received[:1]:
            by_counter = {c: (t - sent[c]) * 1000 for c, t in events.values()}
            print([round(by_counter.get(c, -1)) for c in order])
    missing = args.displays * args.calls - len(latencies)
    latencies.sort()
    p50 = statistics.median(latencies) if latencies else 0.0
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0
    worst = latencies[-1] if latencies else 0.0
    serving = (
        f"nginx, gunicorn ({args.workers or 'default'} workers) and uvicorn"
        if postgres
        else "nginx and one uvicorn"
    )
    print(f"database: {'PostgreSQL' if postgres else 'SQLite'}; {serving}")
    print(f"calls: {args.calls} (status codes {dict(statuses)}), {args.concurrency} at a time")
    print(f"displays: {args.displays}; events measured: {len(latencies)}, missing: {missing}")
    print(f"visitors called twice: {twice}; events twice on one display: {display_duplicates}")
    print(f"call-next → display: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms")
    print(
        f"RESULT display_p50_ms={p50:.0f} display_p99_ms={p99:.0f} "
        f"duplicate_calls={twice + display_duplicates} call_next_rps={args.calls / elapsed:.0f}"
    )
    if missing or twice or display_duplicates or statuses.get(302, 0) != args.calls:
        sys.exit(1)


if __name__ == "__main__":
    main()
