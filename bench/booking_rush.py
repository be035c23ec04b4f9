"""Booking rush: 2,000 applicants arrive over 20 s (open loop) for 300 free places.

Run from the repository root: .venv/bin/python bench/booking_rush.py
Needs PostgreSQL (BENCH_DATABASE_URL, default the local server; a database of its
own is created and dropped) and nginx. Starts the production set-up
(deploy/stack.py: nginx with the shipped configuration in front of gunicorn with
deploy/gunicorn.conf.py and uvicorn) on a free port, DEBUG off, rate limits and ALTCHA
off (benchmark only). BENCH_WEB_WORKERS=N for another number of gunicorn workers.

Each applicant searches availability for 60 days, holds one of the free times
(on a clean "taken" answer it tries one of the next free times offered, up to
three attempts) and confirms. The click on the e-mail's link is simulated by
signing the same token the mail carries; the mail itself is still written to the
outbox in the booking's transaction. Afterwards the database is checked: no slot
holds more bookings than its capacity.

The "server:" line comes from nginx's access log: per kind of request, the time in
nginx in all and the time until gunicorn answered (its queue included), and how many
availability answers came from nginx's cache. The "machine:" line before the rush
times a fixed CPU loop and thread and process round trips, so that runs on a busy
machine can be told apart (its loop_ms is in the RESULT line too).
"""

import asyncio
import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from datetime import time as wall
from pathlib import Path
from urllib.parse import urlparse

import aiohttp
import httpx  # the set-up's plain requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "deploy"))
import stack  # noqa: E402  (deploy/stack.py)

ARRIVALS = int(os.environ.get("BENCH_ARRIVALS", 2000))
SECONDS = float(os.environ.get("BENCH_SECONDS", 20))
# None: deploy/gunicorn.conf.py's own count (2 × cores + 1), as in production.
WEB_WORKERS = int(os.environ["BENCH_WEB_WORKERS"]) if os.environ.get("BENCH_WEB_WORKERS") else None
DAYS = 3  # 3 days × 10 slots × 10 parallel places = 300 free places
STEPS, PARALLEL = 10, 10
SERVER = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# Of its own per run: other checkouts may run the benchmark on the same server.
DB_NAME = f"willkommen_bench_booking_{os.getpid()}"
SECRET = "bench-secret-key-not-for-production"  # noqa: S105


def database_url() -> str:
    parsed = urlparse(SERVER)
    return parsed._replace(path=f"/{DB_NAME}").geturl()


def recreate_database():
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def server_environment() -> dict:
    return {
        "DATABASE_URL": database_url(),
        # Each gunicorn sync worker keeps its one connection (as in deploy/willkommen.env).
        "DB_CONN_MAX_AGE": "60",
        "DEBUG": "false",
        "SECRET_KEY": SECRET,
        "ALTCHA_ENABLED": "false",
        "ALTCHA_ALLOW_DISABLED": "true",
        "RATE_LIMITS_ENABLED": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",  # every 409 would be logged as a warning
        "PUBLIC_BASE_URL": "http://127.0.0.1",
        "SECURE_COOKIES": "false",
    }


def setup_django(env: dict):
    os.environ.update(env)  # the same settings as the server, for setup and the check
    os.environ["DJANGO_SETTINGS_MODULE"] = "willkommen.settings"
    import django

    django.setup()


def prepare_office() -> tuple[str, str, list[date]]:
    from django.core.management import call_command

    from willkommen.accounts.models import Team
    from willkommen.booking import services
    from willkommen.booking.models import BookingPolicy, OpeningRule, ReleaseStage
    from willkommen.catalog.models import Location, Service, ServiceCategory
    from willkommen.core import clock

    call_command("migrate", verbosity=0)
    team = Team.objects.create(slug="bench", name="Bench")
    location = Location.objects.create(
        slug="rush", name={"de": "Ansturm"}, street="Benchstraße 1", postcode="91052",
        city="Erlangen", state="BY",
    )  # fmt: skip
    category = ServiceCategory.objects.create(slug="bench", name={"de": "Bench"})
    service = Service.objects.create(
        slug="verlaengern", category=category, name={"de": "Verlängern"},
        short_description={"de": "Bench"}, duration_minutes=10, max_persons=1, team=team,
    )  # fmt: skip
    BookingPolicy.objects.create(location=location, horizon_days=60, min_lead_hours=0)
    ReleaseStage.objects.create(location=location, release_time=wall(0, 0), share_percent=100)
    today = clock.local_today(location.timezone)
    days, day = [], today + timedelta(days=1)
    while len(days) < DAYS:
        if day.weekday() < 5 and not services.capacity.is_holiday("BY", day):
            days.append(day)
        day += timedelta(days=1)
    for day in days:
        OpeningRule.objects.create(
            location=location, weekdays=[day.weekday()], start_time=wall(8, 0),
            end_time=wall(8 + STEPS * 10 // 60, STEPS * 10 % 60), valid_from=day,
            valid_until=day, slot_minutes=10, online_capacity=PARALLEL,
        )  # fmt: skip
    services.materialise_slots(location)
    return location.slug, service.slug, days


def start_stack(env: dict) -> stack.Stack:
    servers = stack.Stack(env, web_workers=WEB_WORKERS)
    servers.collectstatic()  # DEBUG off: the pages (a 404 too) need the manifest
    return servers.start()


class Stats:
    def __init__(self):
        self.booking_ms: list[float] = []
        self.availability_ms: list[float] = []
        self.errors = 0
        self.failures: dict[str, int] = {}  # transport errors by kind (time-outs, resets)
        self.statuses: dict[int, int] = {}
        self.confirmed = 0
        self.taken = 0
        self.gave_up = 0
        self.started = time.perf_counter()  # reset when the first applicant arrives
        # (second of the run, "availability"/"booking", milliseconds, status)
        self.timeline: list[tuple[int, str, float, int]] = []

    def record(self, status: int):
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status >= 500:
            self.errors += 1


def confirm_token(reference: str) -> str:
    from django.core import signing

    from willkommen.booking.links import SALT

    return signing.dumps({"r": reference, "v": 1, "p": "confirm"}, salt=SALT, compress=True)


class Answer:
    def __init__(self, status: int, body: bytes):
        self.status = status
        self.body = body

    def json(self):
        return json.loads(self.body)


async def timed(stats, bucket, call):
    """Await one request; its time counts from sending to the last byte of the body."""
    started = time.perf_counter()
    try:
        answer = await call()
    except (TimeoutError, aiohttp.ClientError) as exc:
        stats.errors += 1
        name = type(exc).__name__
        stats.failures[name] = stats.failures.get(name, 0) + 1
        return None
    elapsed = (time.perf_counter() - started) * 1000
    bucket.append(elapsed)
    kind = "availability" if bucket is stats.availability_ms else "booking"
    stats.timeline.append((int(started - stats.started), kind, elapsed, answer.status))
    stats.record(answer.status)
    return answer


def print_timeline(stats):
    """BENCH_TIMELINE=1: per second of the run, how many requests were sent and how long
    they took (shows when the server falls behind and when it catches up)."""
    seconds = sorted({second for second, *_rest in stats.timeline})
    for second in seconds:
        line = f"t={second:3d}s"
        for kind in ("availability", "booking"):
            times = sorted(ms for s, k, ms, _st in stats.timeline if s == second and k == kind)
            median = times[len(times) // 2] if times else 0
            line += f" | {kind} n={len(times):4d} p50={median:6.0f} max={max(times or [0]):6.0f}"
        statuses = [st for s, k, _ms, st in stats.timeline if s == second and k == "booking"]
        line += f" 201={statuses.count(201)} 409={statuses.count(409)}"
        print(line)


class Client:
    """aiohttp, not httpx: with a thousand requests in flight httpx's own connection
    pool and parsing took most of a core, and its queueing showed up as server latency."""

    def __init__(self, session, base):
        self.session = session
        self.base = base

    async def get(self, path, params):
        async with self.session.get(self.base + path, params=params) as response:
            return Answer(response.status, await response.read())

    async def post(self, path, body):
        async with self.session.post(self.base + path, json=body) as response:
            return Answer(response.status, await response.read())


async def applicant(client, stats, index, location, service, rng):
    query = {"location": location, "service": service, "days": 60}
    answer = await timed(
        stats, stats.availability_ms, lambda: client.get("/api/v1/availability", query)
    )
    if answer is None or answer.status != 200:
        return
    slots = answer.json()["slots"]
    if not slots:
        stats.gave_up += 1
        return
    choice = rng.choice(slots[: max(1, len(slots) // 2)])["starts_at"]  # people prefer early
    for _attempt in range(3):
        body = {
            "location": location, "service": service, "persons": 1, "starts_at": choice,
            "name": f"Applicant {index}", "email": f"applicant{index}@example.org", "consent": True,
        }  # fmt: skip
        held = await timed(stats, stats.booking_ms, lambda b=body: client.post("/api/v1/holds", b))
        if held is None:
            return
        if held.status == 201:
            token = confirm_token(held.json()["reference"])
            done = await timed(
                stats,
                stats.booking_ms,
                lambda t=token: client.post("/api/v1/holds/confirm", {"token": t}),
            )
            if done is not None and done.status == 200:
                stats.confirmed += 1
            return
        if held.status != 409:
            return
        stats.taken += 1
        offered = held.json().get("next_free") or []
        if not offered:
            stats.gave_up += 1
            return
        choice = rng.choice(offered)
    stats.gave_up += 1


async def rush(url, location, service) -> tuple[Stats, float]:
    stats = Stats()
    rng = random.Random(7)
    connector = aiohttp.TCPConnector(limit=400, keepalive_timeout=60)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        client = Client(session, url)
        # Poisson arrivals: exponential gaps with the mean that fits ARRIVALS into SECONDS.
        gaps = [rng.expovariate(ARRIVALS / SECONDS) for _ in range(ARRIVALS)]
        scale = SECONDS / sum(gaps)
        started = stats.started = time.perf_counter()
        tasks, at = [], 0.0
        for index, gap in enumerate(gaps):
            at += gap * scale
            delay = at - (time.perf_counter() - started)
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(
                asyncio.create_task(applicant(client, stats, index, location, service, rng))
            )
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    return stats, elapsed


def check_database() -> dict:
    from django.db.models import Count, F, Q, Sum

    from willkommen.booking.models import Appointment, Slot, Status

    slots = Slot.objects.annotate(
        active=Count("bookings", filter=Q(bookings__returned_at__isnull=True))
    )
    oversold = sum(
        max(0, slot.active - slot.capacity) + max(0, slot.booked - slot.capacity) for slot in slots
    )
    mismatched = slots.exclude(active=F("booked")).count()
    return {
        "oversold": oversold,
        "mismatched": mismatched,
        "capacity": Slot.objects.aggregate(total=Sum("capacity"))["total"],
        "booked": Slot.objects.aggregate(total=Sum("booked"))["total"],
        "confirmed": Appointment.objects.filter(status=Status.CONFIRMED).count(),
        "held": Appointment.objects.filter(status=Status.HELD).count(),
    }


def kind_of(method: str, uri: str, status: str) -> str:
    if uri.endswith("/availability"):
        return "availability"
    if uri.endswith("/holds/confirm"):
        return "confirm"
    if uri.endswith("/holds"):
        return {"201": "hold", "409": "refused"}.get(status, "other")
    return "other"


def cpu_ticks(root_pid: int | None) -> dict[int, int]:
    """CPU ticks per process of ``root_pid`` and its descendants, or (None) of every
    PostgreSQL process."""
    parents, stats = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        name, rest = raw[raw.index("(") + 1 : raw.rindex(")")], raw.rsplit(")", 1)[1].split()
        parents[int(entry)] = int(rest[1])
        stats[int(entry)] = (name, int(rest[11]) + int(rest[12]))
    ticks = {}
    for pid, (name, used) in stats.items():
        if root_pid is None:
            if name == "postgres":
                ticks[pid] = used
            continue
        ancestor = pid
        while ancestor not in (root_pid, 0, 1) and ancestor in parents:
            ancestor = parents[ancestor]
        if ancestor == root_pid:
            ticks[pid] = used
    return ticks


def cpu_seconds_since(before: dict[int, int], root_pid: int | None) -> float:
    """CPU seconds used since ``before`` (cpu_ticks) by the processes there are now;
    a process that ended meanwhile (another connection's backend) does not count."""
    after = cpu_ticks(root_pid)
    used = sum(ticks - before.get(pid, 0) for pid, ticks in after.items())
    return used / os.sysconf("SC_CLK_TCK")


def django_times(access_log: Path) -> dict[str, list[float]]:
    """Per kind of request, the ms each spent inside gunicorn (its access log)."""
    kinds: dict[str, list[float]] = {}
    for line in access_log.read_text().splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[1] != "/healthz":
            kinds.setdefault(kind_of(*parts[:3]), []).append(float(parts[3]))
    return kinds


def server_summary(access_log: Path, gunicorn_log: Path) -> str:
    """From nginx's access log (deploy/stack.py's "timing" format), per kind of request:
    how many, the p50/p99 of the time in nginx in all, of the time until gunicorn
    answered (waiting for a free worker included) and, from gunicorn's log, of the time
    inside a worker, in ms; for availability, the answers from nginx's cache."""
    inside = django_times(gunicorn_log)
    kinds: dict[str, list[tuple[float, float | None, str]]] = {}
    for line in access_log.read_text().splitlines():
        method, uri, status, total, upstream, cache = (line.split() + [""] * 6)[:6]
        if uri in ("/healthz",) or "/display/" in uri:
            continue
        app = float(upstream) if upstream not in ("", "-") else None
        kinds.setdefault(kind_of(method, uri, status), []).append((float(total), app, cache))
    parts = []
    for kind in ("availability", "hold", "refused", "confirm", "other"):
        rows = kinds.get(kind)
        if not rows:
            continue
        totals = [total * 1000 for total, _app, _cache in rows]
        apps = [app * 1000 for _total, app, _cache in rows if app is not None]
        part = (
            f"{kind} n={len(rows)} nginx={percentile(totals, 0.5):.0f}/"
            f"{percentile(totals, 0.99):.0f} gunicorn={percentile(apps, 0.5):.0f}/"
            f"{percentile(apps, 0.99):.0f} django={percentile(inside.get(kind, []), 0.5):.0f}/"
            f"{percentile(inside.get(kind, []), 0.99):.0f}"
        )
        if kind == "availability":
            hits = sum(1 for _total, _app, cache in rows if cache in ("HIT", "UPDATING"))
            part += f" cache_hits={hits}"
        parts.append(part)
    return "; ".join(parts)


def machine_probe() -> tuple[float, str]:
    """How fast the machine is just now, apart from willkommen: a pure-Python loop, and
    the round trip of handing control to another thread and to another process and
    back. Context for comparing sessions and machines (an earlier session's loop was
    three times slower); within a session it did not tell the bad runs apart, the
    server's CPU per request (the "server:" line) does."""
    import multiprocessing
    import threading

    started = time.perf_counter()
    total = 0
    for number in range(2_000_000):
        total += number
    loop_ms = (time.perf_counter() - started) * 1000

    rounds = 2000
    ping, pong = threading.Event(), threading.Event()

    def answer():
        for _ in range(rounds):
            ping.wait()
            ping.clear()
            pong.set()

    other = threading.Thread(target=answer)
    other.start()
    started = time.perf_counter()
    for _ in range(rounds):
        ping.set()
        pong.wait()
        pong.clear()
    thread_us = (time.perf_counter() - started) / rounds * 1e6
    other.join()

    ours, theirs = multiprocessing.Pipe()
    echo = multiprocessing.get_context("fork").Process(target=_echo, args=(theirs, rounds))
    echo.start()
    started = time.perf_counter()
    for _ in range(rounds):
        ours.send_bytes(b"x")
        ours.recv_bytes()
    process_us = (time.perf_counter() - started) / rounds * 1e6
    echo.join()
    return loop_ms, (
        f"loop_2M_ms={loop_ms:.0f} thread_round_trip_us={thread_us:.0f} "
        f"process_round_trip_us={process_us:.0f}"
    )


def _echo(connection, rounds):
    for _ in range(rounds):
        connection.send_bytes(connection.recv_bytes())


def percentile(values, share):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    env = server_environment()
    loop_ms, machine = machine_probe()
    print(f"machine: {machine}")
    recreate_database()
    setup_django(env)
    location, service, days = prepare_office()
    print(f"office: {DAYS} days ({', '.join(map(str, days))}), {DAYS * STEPS * PARALLEL} places")
    from django.db import connections

    connections.close_all()
    servers = start_stack(env)
    try:
        # Each gunicorn worker's connection and first imports (not measured).
        for _ in range(12):
            httpx.get(f"{servers.url}/api/v1/availability", timeout=120,
                      params={"location": location, "service": service, "days": 60})  # fmt: skip
        logs = [servers.directory / "nginx-access.log", servers.directory / "gunicorn-access.log"]
        for log in logs:
            log.write_text("")  # the rush's requests only
        gunicorn = servers.processes["gunicorn"].pid
        web_before, postgres_before = cpu_ticks(gunicorn), cpu_ticks(None)
        stats, elapsed = asyncio.run(rush(servers.url, location, service))
        web_cpu = cpu_seconds_since(web_before, gunicorn)
        # every PostgreSQL process: other users of the server count too
        postgres_cpu = cpu_seconds_since(postgres_before, None)
        summary = server_summary(*logs)
        cores = len(os.sched_getaffinity(0))
        web_workers = servers.web_workers or f"{2 * cores + 1} (2 × cores + 1)"
    finally:
        servers.stop()
    figures = check_database()
    connections.close_all()
    booking_requests = len(stats.booking_ms)
    print(
        f"{ARRIVALS} applicants in {SECONDS:.0f} s through nginx, gunicorn workers: "
        f"{web_workers}; run took {elapsed:.1f} s"
    )
    print(f"statuses: {dict(sorted(stats.statuses.items()))}, transport errors: {stats.failures}")
    print(
        f"confirmed {stats.confirmed}, taken answers {stats.taken}, gave up {stats.gave_up}; "
        f"database: {figures}"
    )
    print(
        f"booking p50/p90/p99 ms: {percentile(stats.booking_ms, 0.5):.0f}/"
        f"{percentile(stats.booking_ms, 0.9):.0f}/{percentile(stats.booking_ms, 0.99):.0f}; "
        f"availability p50/p99 ms: {percentile(stats.availability_ms, 0.5):.0f}/"
        f"{percentile(stats.availability_ms, 0.99):.0f} "
        f"(mean {statistics.fmean(stats.availability_ms or [0]):.0f})"
    )
    print(f"server: {summary}")
    requests = max(1, len(stats.booking_ms) + len(stats.availability_ms))
    print(
        f"cpu: gunicorn {web_cpu:.1f} s, PostgreSQL {postgres_cpu:.1f} s in the run "
        f"({web_cpu / requests * 1000:.1f} and {postgres_cpu / requests * 1000:.1f} ms a request)"
    )
    if os.environ.get("BENCH_TIMELINE"):
        print_timeline(stats)
    oversold = figures["oversold"] + figures["mismatched"]
    print(
        f"RESULT oversold={oversold} errors={stats.errors} "
        f"booking_rps={booking_requests / elapsed:.0f} "
        f"booking_p50_ms={percentile(stats.booking_ms, 0.5):.0f} "
        f"booking_p99_ms={percentile(stats.booking_ms, 0.99):.0f} "
        f"availability_p99_ms={percentile(stats.availability_ms, 0.99):.0f} "
        f"machine_loop_ms={loop_ms:.0f}"
    )
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    main()
