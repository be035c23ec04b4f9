"""Time the KPI month report over one year of history, on SQLite and PostgreSQL (issue 6).

Run from the repository root: .venv/bin/python bench/kpis.py [--visits-per-day N]

For each database it makes a fresh one (a temporary SQLite file; a temporary
PostgreSQL database on BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres),
migrates it, loads the demo catalogue and case types, generates one year of
history (about 50,000 visits and 20,000 cases), and then times the month report
of the last complete month: every key figure of the month and of the month
before, the published tables and the council PDF. Target: < 2 s each.
It also runs bench/simulation.py for 100 replications of a simulated month
(target: < 10 s). Both databases are removed afterwards.
"""

import argparse
import json
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

# Runs inside a process configured for one database; prints one JSON line.
MEASURE = """
import json, statistics, sys, time
sys.path.insert(0, "src")
import django
django.setup()
from django.db import connection
from django.utils import translation
translation.activate("de")
from willkommen.controlling import kpis, periods, reports
from willkommen.core import clock
from willkommen.frontdesk.models import Visit
from willkommen.cases.models import Case
today = clock.local_today(kpis.OFFICE_TIMEZONE)
last = today.replace(day=1).toordinal() - 1
import datetime
day = datetime.date.fromordinal(last)
scope = kpis.Scope(periods.month(day.year, day.month))
timings = []
for _ in range(3):
    started = time.perf_counter()
    report = reports.build(scope)
    reports.tables(report)
    reports.council_pdf(report)
    timings.append(time.perf_counter() - started)
print(json.dumps({
    "best_s": min(timings), "runs": timings,
    "visits_year": Visit.objects.count(), "cases_year": Case.objects.count(),
    "visits_month": report.visits.visits, "work_items_month": report.visits.work_items,
}))
"""


def run(env, *args, capture=False):
    result = subprocess.run(
        [PYTHON, *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
        timeout=1800,
    )
    return result.stdout


def measure(database_url: str, visits_per_day: float, cases_per_day: float) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "true"}
    env["DJANGO_SETTINGS_MODULE"] = "willkommen.settings"
    started = time.perf_counter()
    for command in (["migrate", "--no-input", "-v0"], ["load_demo_catalog"], ["load_demo_cases"]):
        run(env, "manage.py", *command, capture=True)
    print(
        run(
            env,
            "manage.py",
            "generate_demo_history",
            "--days=365",
            f"--visits-per-day={visits_per_day}",
            f"--cases-per-day={cases_per_day}",
            capture=True,
        ).strip()
    )
    print(f"  set-up and history: {time.perf_counter() - started:.0f} s")
    figures = json.loads(run(env, "-c", MEASURE, capture=True).strip().splitlines()[-1])
    runs = ", ".join(f"{t:.2f}" for t in figures["runs"])
    print(
        f"  {figures['visits_year']} visits and {figures['cases_year']} cases in the year; "
        f"month: {figures['visits_month']} visits, {figures['work_items_month']} work items"
    )
    print(f"  month report runs (s): {runs}")
    return figures


def postgres_database():
    import psycopg

    name = f"willkommen_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(POSTGRES, autocommit=True, connect_timeout=5)
    admin.execute(f'CREATE DATABASE "{name}"')
    base, _slash, _db = POSTGRES.rpartition("/")
    return admin, name, f"{base}/{name}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits-per-day", type=float, default=120)
    parser.add_argument("--cases-per-day", type=float, default=37)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        print("== SQLite")
        url = f"sqlite:///{folder}/bench.sqlite3"
        results["sqlite"] = measure(url, args.visits_per_day, args.cases_per_day)["best_s"]
    print("== PostgreSQL")
    try:
        admin, name, url = postgres_database()
    except Exception as error:
        print(f"  skipped: PostgreSQL at {POSTGRES} is not reachable ({error})".splitlines()[0])
        results["postgres"] = float("nan")
    else:
        try:
            results["postgres"] = measure(url, args.visits_per_day, args.cases_per_day)["best_s"]
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    print("== simulation")
    output = run(os.environ.copy(), "bench/simulation.py", capture=True)
    print("  " + "\n  ".join(output.strip().splitlines()[:-1]))
    simulation = dict(pair.split("=") for pair in output.strip().splitlines()[-1].split()[1:])[
        "simulation_100_s"
    ]
    print(
        f"RESULT report_sqlite_s={results['sqlite']:.2f} "
        f"report_postgres_s={results['postgres']:.2f} simulation_100_s={simulation}"
    )


if __name__ == "__main__":
    main()
