"""Booking rush: 2,000 applicants arrive over 20 s (open loop) for 300 free places.

Run from the repository root: .venv/bin/python bench/booking_rush.py
Needs PostgreSQL (BENCH_DATABASE_URL, default the local server; a database of its
own is created and dropped). Starts the real ASGI server (uvicorn, one worker process
per core like `manage.py serve --workers auto`; BENCH_WORKERS=N for another count) on
a free port, DEBUG off, rate limits and ALTCHA off (benchmark only).

Each applicant searches availability for 60 days, holds one of the free times
(on a clean "taken" answer it tries one of the next free times offered, up to
three attempts) and confirms. The click on the e-mail's link is simulated by
signing the same token the mail carries; the mail itself is still written to the
outbox in the booking's transaction. Afterwards the database is checked: no slot
holds more bookings than its capacity.

The server runs with SERVER_TIMING on: each answer says how long it waited for a
request thread, how long it took in Django and how much CPU its thread used. The
"server:" line sums that up per kind of request, which tells a machine that was slow
(more CPU per request than in other runs) from a queue (more waiting). The "machine:"
line before the rush probes the machine apart from willkommen (see machine_probe).
"""

import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
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
from willkommen.core.management.commands.serve import cores  # noqa: E402

ARRIVALS = int(os.environ.get("BENCH_ARRIVALS", 2000))
SECONDS = float(os.environ.get("BENCH_SECONDS", 20))
# One worker process per core, as `manage.py serve --workers auto` starts in production.
WORKERS = int(os.environ.get("BENCH_WORKERS") or cores())
DAYS = 3  # 3 days × 10 slots × 10 parallel places = 300 free places
STEPS, PARALLEL = 10, 10
SERVER = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = "willkommen_bench_booking"
SECRET = "bench-secret-key-not-for-production"  # noqa: S105


def database_url() -> str:
    parsed = urlparse(SERVER)
    return parsed._replace(path=f"/{DB_NAME}").geturl()


def recreate_database():
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def server_environment(port: int) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DB_POOL_MAX_SIZE": os.environ.get("BENCH_POOL_SIZE", "8"),
        "DEBUG": "false",
        "SECRET_KEY": SECRET,
        "ALTCHA_ENABLED": "false",
        "ALTCHA_ALLOW_DISABLED": "true",
        "RATE_LIMITS_ENABLED": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",  # every 409 would be logged as a warning
        "WILLKOMMEN_VAR_DIR": "/tmp/willkommen-bench-booking",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "SERVER_TIMING": "true",  # see the module's docstring
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, env: dict) -> subprocess.Popen:
    # manage.py serve, not `uvicorn --workers`: see willkommen/core/management/commands/serve.py
    # (with several workers uvicorn leaves Nagle on, ~40 ms per keep-alive request).
    command = [
        str(ROOT / ".venv/bin/python"), "manage.py", "serve",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(WORKERS),
        "--no-access-log", "--log-level", "warning", "--backlog", "4096",
        # Longer than the client's waits: otherwise the server closes idle keep-alive
        # connections just as the client reuses them, which shows up as ReadError.
        "--timeout-keep-alive", "75",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def wait_until_up(port: int, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("server did not come up")


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
        # kind of request → [(queue, app, cpu) in ms] from the Server-Timing headers
        self.server: dict[str, list[tuple[float, float, float]]] = {}

    def record(self, status: int):
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status >= 500:
            self.errors += 1


def confirm_token(reference: str) -> str:
    from django.core import signing

    from willkommen.booking.links import SALT

    return signing.dumps({"r": reference, "v": 1, "p": "confirm"}, salt=SALT, compress=True)


class Answer:
    def __init__(self, status: int, body: bytes, path: str = "", timing: str | None = None):
        self.status = status
        self.body = body
        self.path = path
        self.timing = parse_server_timing(timing)

    def json(self):
        return json.loads(self.body)


def parse_server_timing(header: str | None) -> tuple[float, float, float] | None:
    """(queue, app, cpu) in ms from "queue;dur=1.2, app;dur=3.4, cpu;dur=2.1"."""
    if not header:
        return None
    durations = {}
    for part in header.split(","):
        name, _sep, value = part.strip().partition(";dur=")
        durations[name] = float(value)
    return durations["queue"], durations["app"], durations["cpu"]


def kind_of(answer) -> str:
    if answer.path.endswith("/availability"):
        return "availability"
    if answer.path.endswith("/holds/confirm"):
        return "confirm"
    return "hold" if answer.status == 201 else "refused" if answer.status == 409 else "other"


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
    if answer.timing is not None:
        stats.server.setdefault(kind_of(answer), []).append(answer.timing)
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
            body = await response.read()
            return Answer(response.status, body, path, response.headers.get("server-timing"))

    async def post(self, path, body):
        async with self.session.post(self.base + path, json=body) as response:
            answer = await response.read()
            return Answer(response.status, answer, path, response.headers.get("server-timing"))


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


async def rush(port, location, service) -> tuple[Stats, float]:
    stats = Stats()
    rng = random.Random(7)
    connector = aiohttp.TCPConnector(limit=400, keepalive_timeout=60)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        client = Client(session, f"http://127.0.0.1:{port}")
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


def server_summary(stats) -> str:
    """Per kind of request: how many, the thread CPU per request (median and mean), the
    wait for a thread (median, p99) and the time in Django (median), in ms."""
    parts = []
    for kind in ("availability", "hold", "refused", "confirm", "other"):
        timings = stats.server.get(kind)
        if not timings:
            continue
        queue, app, cpu = (list(column) for column in zip(*timings, strict=True))
        parts.append(
            f"{kind} n={len(timings)} cpu={percentile(cpu, 0.5):.1f}/{statistics.fmean(cpu):.1f} "
            f"queue={percentile(queue, 0.5):.0f}/{percentile(queue, 0.99):.0f} "
            f"app={percentile(app, 0.5):.0f} (sum cpu {sum(cpu) / 1000:.1f} s)"
        )
    return "; ".join(parts)


def machine_probe() -> str:
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
    return (
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
    port = free_port()
    env = server_environment(port)
    print(f"machine: {machine_probe()}")
    recreate_database()
    setup_django(env)
    location, service, days = prepare_office()
    print(f"office: {DAYS} days ({', '.join(map(str, days))}), {DAYS * STEPS * PARALLEL} places")
    server = start_server(port, env)
    try:
        wait_until_up(port)
        # Warm every worker's connection and caches a little (not measured).
        for _ in range(WORKERS * 4):
            httpx.get(f"http://127.0.0.1:{port}/api/v1/availability",
                      params={"location": location, "service": service, "days": 60})  # fmt: skip
        stats, elapsed = asyncio.run(rush(port, location, service))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    figures = check_database()
    from django.db import connections

    connections.close_all()
    booking_requests = len(stats.booking_ms)
    print(
        f"{ARRIVALS} applicants in {SECONDS:.0f} s, {WORKERS} uvicorn workers; "
        f"run took {elapsed:.1f} s"
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
    print(f"server: {server_summary(stats)}")
    if os.environ.get("BENCH_TIMELINE"):
        print_timeline(stats)
    oversold = figures["oversold"] + figures["mismatched"]
    print(
        f"RESULT oversold={oversold} errors={stats.errors} "
        f"booking_rps={booking_requests / elapsed:.0f} "
        f"booking_p50_ms={percentile(stats.booking_ms, 0.5):.0f} "
        f"booking_p99_ms={percentile(stats.booking_ms, 0.99):.0f} "
        f"availability_p99_ms={percentile(stats.availability_ms, 0.99):.0f}"
    )
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    main()
