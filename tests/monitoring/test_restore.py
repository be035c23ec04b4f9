"""docs/operations.md's backup and restore, done: pg_dump, pg_restore into a fresh
database, and the KPIs computed on the copy are those of the original."""

import shutil
import subprocess

import pytest
from django.db import connection

from tests.core.django_process import run_django
from tests.frontdesk.asgi_server import database_url_for_subprocess
from tests.frontdesk.factories import build_office, clerk_at, walk_in
from willkommen.frontdesk import services
from willkommen.frontdesk.services.visits import WorkItemLine

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FIGURES = (
    "from datetime import date\n"
    "from willkommen.core import clock\n"
    "from willkommen.controlling.kpis import Scope, visit_figures\n"
    "from willkommen.controlling.periods import Period\n"
    "today = clock.office_today()\n"
    "f = visit_figures(Scope(Period(today, today, 'day')))\n"
    "print(f.visits, f.persons, f.work_items)\n"
    "print(repr(f))\n"
)


def test_a_dump_restored_into_a_fresh_database_gives_the_same_kpis():
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("needs PostgreSQL and its client programs")
    where = build_office()
    clerk = clerk_at(where["family_counter"])
    for persons in (1, 2, 1):
        walk_in(where["location"], where["extend"], persons_present=persons)
        visit = services.call_next(user=clerk)
        services.start(visit.pk, user=clerk)
        services.finish(
            visit.pk,
            user=clerk,
            persons_present=persons,
            work_items=[  # one more than came: a child's work item, the child not present
                WorkItemLine(where["extend"], f"person {i}", person_present=i < persons)
                for i in range(persons + 1)
            ],
        )
    original = database_url_for_subprocess()
    restored_name = connection.settings_dict["NAME"] + "_restored"
    restored = original.rsplit("/", 1)[0] + "/" + restored_name
    server = original.rsplit("/", 1)[0] + "/postgres"
    dump = subprocess.run(
        ["pg_dump", "--format=custom", original], capture_output=True, check=True, timeout=120
    )
    subprocess.run(["dropdb", "--if-exists", "--maintenance-db", server, restored_name], check=True)
    subprocess.run(["createdb", "--maintenance-db", server, restored_name], check=True)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={restored}"],
            input=dump.stdout, capture_output=True, check=True, timeout=120,
        )  # fmt: skip
        before = run_django(FIGURES, DATABASE_URL=original).stdout
        after = run_django(FIGURES, DATABASE_URL=restored).stdout
    finally:
        subprocess.run(["dropdb", "--if-exists", "--maintenance-db", server, restored_name])
    assert before.splitlines()[0] == "3 4 7"  # visits, persons, work items
    assert after == before
