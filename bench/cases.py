"""Case file pages with a year of history: 20,000 closed and 2,000 open cases.

Measures, in-process through Django's test client against a throwaway SQLite
database in a temporary folder (never an existing database): the team's case
list (50 rows with their forecasts), one case file, the applicant status page,
and one forecast.

    .venv/bin/python bench/cases.py
"""

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
TMP = tempfile.mkdtemp(prefix="willkommen-bench-cases-")
os.environ["WILLKOMMEN_VAR_DIR"] = TMP
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("DEBUG", "true")
os.environ["RATE_LIMITS_ENABLED"] = "false"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "willkommen.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["MEDIA_ROOT"] = str(Path(TMP) / "media")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

CLOSED, OPEN, ROUNDS = 20_000, 2_000, 200


def percentile(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def build():
    from willkommen.accounts.models import Team
    from willkommen.accounts.roles import Role
    from willkommen.accounts.services import create_demo_staff
    from willkommen.cases import casetypes, codes, services
    from willkommen.cases.models import Case, CaseType, Person, StatusChange
    from willkommen.core import clock

    call_command("migrate", verbosity=0)
    call_command("load_demo_catalog", verbosity=0)
    create_demo_staff()
    casetypes.load_case_types_file()
    rng = random.Random(7)
    now = clock.now()
    case_types = list(CaseType.objects.select_related("service__team"))
    statuses = {ct.pk: list(ct.statuses.order_by("position")) for ct in case_types}
    cases, people = [], []
    with transaction.atomic():
        for index in range(CLOSED + OPEN):
            case_type = rng.choice(case_types)
            path = statuses[case_type.pk]
            closed = index < CLOSED
            opened = now - timedelta(days=rng.uniform(1, 365))
            reference = services.allocate_reference(year=2099)
            cases.append(
                Case(
                    reference=reference,
                    case_type=case_type,
                    status=path[-1] if closed else path[rng.randint(0, len(path) - 2)],
                    urgency=rng.choice(["normal", "normal", "high", "critical"]),
                    difficulty=rng.choice(["simple", "normal", "complex"]),
                    team=case_type.service.team,
                    access_code_hash=codes.hash_code(reference, "BENCH-CODE-0000-0000"),
                    opened_at=opened,
                    closed_at=opened + timedelta(days=rng.uniform(5, 120)) if closed else None,
                    source="bench",
                )
            )
        Case.objects.bulk_create(cases, batch_size=2000)
        created = list(Case.objects.filter(source="bench").values_list("pk", "status_id"))
        StatusChange.objects.bulk_create(
            (StatusChange(case_id=pk, sequence=1, status_id=status, changed_at=now)
             for pk, status in created),
            batch_size=2000,
        )  # fmt: skip
        people = [
            Person(case_id=pk, given_name="Ana", family_name=f"Test{pk}") for pk, _ in created
        ]
        Person.objects.bulk_create(people, batch_size=2000)
    lead = Team.objects.get(slug="allgemein").members.get(username="teamleitung")
    assert Role.TEAM_LEAD in lead.roles
    return lead


def timed(label, call):
    call()  # warm up (templates, translations, the forecast memo)
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return {
        f"{label}_p50_ms": round(statistics.median(samples), 1),
        f"{label}_p99_ms": round(percentile(samples, 99), 1),
    }


def main():
    from willkommen.cases.forecast import forecast_for
    from willkommen.cases.models import Case

    started = time.perf_counter()
    lead = build()
    build_s = time.perf_counter() - started
    staff = Client()
    staff.force_login(lead)
    open_case = Case.objects.open().filter(team__slug="allgemein").first()
    applicant = Client()
    reply = applicant.post(
        "/de/status/", {"reference": open_case.reference, "code": "BENCH-CODE-0000-0000"}
    )
    assert reply.status_code == 302, reply.status_code
    status_url = reply["Location"]

    def get(client, url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    results = {}
    results.update(timed("case_list", lambda: get(staff, "/de/staff/cases/")))
    results.update(
        timed("case_detail", lambda: get(staff, f"/de/staff/cases/{open_case.reference}/"))
    )
    results.update(timed("status_page", lambda: get(applicant, status_url)))
    results.update(
        timed(
            "forecast",
            lambda: forecast_for(open_case.case_type_id, open_case.urgency, open_case.difficulty),
        )
    )
    figures = " ".join(f"{key}={value}" for key, value in results.items())
    print(f"RESULT db={connection.vendor} cases={CLOSED + OPEN} build_s={build_s:.1f} {figures}")


if __name__ == "__main__":
    main()
