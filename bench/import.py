"""Time ``manage.py import_history`` on a large visits file (issue 20).

Run from the repository root: .venv/bin/python bench/import.py [--visits N] [--db sqlite]

Makes a fresh database (a temporary PostgreSQL database on BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/postgres; or a temporary SQLite file), migrates it,
loads the demo catalogue, writes a CSV of N visits (default 60,000) spread over the
office days of the last year at the demo's locations and services (a fifth settled at
reception, families with several work items), and times the import command on it:
reading, checking every row, writing through frontdesk's bulk variant and linking each
visit to the batch. Target (issue 20): a year of a large office, ≈ 600,000 visits, in
under 10 minutes on PostgreSQL, i.e. ≥ 1,000 rows/s. The database is removed afterwards.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")

# Runs inside a process configured for the database: writes the CSV named in argv.
GENERATE = """
import csv, random, sys
from datetime import timedelta
sys.path.insert(0, "src")
import django
django.setup()
from willkommen.catalog.models import Location, Service
from willkommen.core import clock
path, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(20)
locations = [l.slug for l in Location.objects.filter(is_active=True)]
services = [s.slug for s in Service.objects.filter(is_active=True, team__isnull=False)]
today = clock.office_today()
days = [today - timedelta(n) for n in range(1, 366)]
days = [d for d in days if d.weekday() < 5]
with open(path, "w", newline="") as handle:
    out = csv.writer(handle, delimiter=";")
    out.writerow(["day", "time", "location", "service", "persons_present", "origin",
                  "called", "started", "finished", "work_items"])
    for n in range(count):
        minute = rng.randint(450, 750)
        at = lambda m: f"{m // 60:02d}:{m % 60:02d}"
        service = rng.choice(services)
        persons = rng.choices((1, 2, 3), (80, 15, 5))[0]
        work = f"{service}:{persons + rng.choice((0, 0, 0, 1))}"
        if rng.random() < 0.2:
            out.writerow([days[n % len(days)], at(minute), rng.choice(locations), service,
                          1, "reception", "", "", "", f"{service}:1"])
        else:
            out.writerow([days[n % len(days)], at(minute), rng.choice(locations), service,
                          persons, rng.choice(("walk_in", "appointment")), at(minute + 20),
                          at(minute + 22), at(minute + 40), work])
"""


def run(env, *args):
    return subprocess.run(
        [PYTHON, *args], cwd=ROOT, env=env, check=True, text=True,
        stdout=subprocess.PIPE, timeout=3600,
    ).stdout  # fmt: skip


def measure(database_url: str, visits: int, folder: str) -> float:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "true"}
    env["DJANGO_SETTINGS_MODULE"] = "willkommen.settings"
    for command in (["migrate", "--no-input", "-v0"], ["load_demo_catalog"]):
        run(env, "manage.py", *command)
    path = Path(folder) / "visits.csv"
    run(env, "-c", GENERATE, str(path), str(visits))
    print(f"  {visits} visits in {path.stat().st_size / 1e6:.1f} MB of CSV")
    started = time.perf_counter()
    print("  " + run(env, "manage.py", "import_history", "visits", str(path)).strip())
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=60_000)
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.db == "sqlite":
            seconds = measure(f"sqlite:///{folder}/bench.sqlite3", args.visits, folder)
        else:
            import psycopg

            name = f"willkommen_bench_{uuid.uuid4().hex[:8]}"
            admin = psycopg.connect(POSTGRES, autocommit=True, connect_timeout=5)
            admin.execute(f'CREATE DATABASE "{name}"')
            base, _slash, _db = POSTGRES.rpartition("/")
            try:
                seconds = measure(f"{base}/{name}", args.visits, folder)
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.close()
    print(
        f"RESULT db={args.db} rows={args.visits} seconds={seconds:.1f} "
        f"rows_per_s={args.visits / seconds:.0f}"
    )


if __name__ == "__main__":
    main()
