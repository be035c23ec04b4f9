from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests.accounts.factories import UserFactory
from willkommen.accounts.roles import Role
from willkommen.controlling.models import SimulationRun, StaffingRun, StaffingTask
from willkommen.controlling.services import execute_simulation

pytestmark = pytest.mark.django_db

PAGES = [
    "/de/staff/controlling/staffing/",
    "/de/staff/controlling/staffing/import/",
    "/de/staff/controlling/queue/",
    "/de/staff/controlling/simulation/",
]


@pytest.fixture
def examples():
    call_command("load_demo_controlling", verbosity=0)


@pytest.fixture
def controller(client):
    user = UserFactory(roles=[Role.CONTROLLER])
    client.force_login(user)
    return user


@pytest.mark.parametrize("path", PAGES)
def test_controlling_pages_are_for_team_leads_and_controllers(client, path, examples):
    assert client.get(path).status_code == 302  # to the login
    client.force_login(UserFactory(roles=[Role.CLERK, Role.RECEPTION]))
    assert client.get(path).status_code == 403
    for role in (Role.TEAM_LEAD, Role.CONTROLLER):
        client.force_login(UserFactory(roles=[role]))
        assert client.get(path).status_code == 200


def test_staffing_run_keeps_its_inputs(client, controller, examples):
    tasks = list(StaffingTask.objects.filter(is_active=True))
    data = {"label": "Haushalt 2027", "posts": "40", "vacant_posts": "8"}
    data |= {f"cases_{t.code}": "0" for t in tasks}
    data["cases_einbuergerung"] = "1200"  # 420 min each
    data["cases_eat-ausgabe"] = "9000"  # 12 min each
    response = client.post("/de/staff/controlling/staffing/", data)
    run = StaffingRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/de/staff/controlling/staffing/{run.pk}/"
    # (1200 x 420 + 9000 x 12) / (95,580 x 0.88) = 612,000 / 84,110.4 = 7.28
    assert run.required_minutes == Decimal("612000.0")
    assert run.fte_needed == Decimal("7.28")
    assert run.gap == Decimal("7.28") - Decimal(32)
    assert run.parameters["annual_working_minutes"] == 95_580
    assert {line["code"]: line["cases"] for line in run.lines}["einbuergerung"] == 1200
    page = client.get(response["Location"]).content.decode()
    assert "7,28" in page and "Haushalt 2027" in page

    # Changed task times later do not change the kept result.
    StaffingTask.objects.filter(code="einbuergerung").update(minutes_per_case=1)
    run.refresh_from_db()
    assert run.fte_needed == Decimal("7.28")
    # The next form is prefilled with the last case numbers: a re-run is one click.
    assert 'value="1200"' in client.get("/de/staff/controlling/staffing/").content.decode()


def test_more_vacant_than_posts_is_refused(client, controller, examples):
    response = client.post(
        "/de/staff/controlling/staffing/", {"label": "x", "posts": "2", "vacant_posts": "3"}
    )
    assert response.status_code == 400
    assert StaffingRun.objects.count() == 0


def test_staffing_without_parameters_says_so(client, controller):
    response = client.get("/de/staff/controlling/staffing/")
    assert "Noch keine Bemessungsparameter" in response.content.decode()


def test_csv_import_replaces_task_times(client, controller, examples):
    upload = SimpleUploadedFile(
        "zeiten.csv", b"code;name;minutes_per_case;source\nneu;Neue Aufgabe;33,5;Studie\n"
    )
    response = client.post("/de/staff/controlling/staffing/import/", {"file": upload})
    assert response.status_code == 302
    assert list(StaffingTask.objects.filter(is_active=True).values_list("code", flat=True)) == [
        "neu"
    ]


def test_bad_csv_changes_nothing(client, controller, examples):
    before = list(StaffingTask.objects.values_list("code", "minutes_per_case", "is_active"))
    upload = SimpleUploadedFile("zeiten.csv", b"code;name;stunden_je_fall;source\nx;T;2;S\n")
    response = client.post("/de/staff/controlling/staffing/import/", {"file": upload})
    assert response.status_code == 400
    assert "Minuten je Fall" in response.content.decode()
    assert list(StaffingTask.objects.values_list("code", "minutes_per_case", "is_active")) == before


def test_queue_calculator(client, controller):
    page = client.get(
        "/en/staff/controlling/queue/",
        {"arrivals_per_hour": 200, "mean_service_minutes": 3, "target_wait_minutes": 0.3333,
         "target_level": 80},
    ).content.decode()  # fmt: skip
    assert 'id="queue-result"' in page and "<strong>14</strong>" in page


def test_queue_calculator_explains_an_exploding_queue(client, controller):
    response = client.get(
        "/de/staff/controlling/queue/",
        {"arrivals_per_hour": 60, "mean_service_minutes": 10, "target_wait_minutes": 5,
         "target_level": 80, "counters": 5},
    )  # fmt: skip
    assert response.status_code == 400
    assert "wächst den ganzen Tag" in response.content.decode()


def scenario_post(prefix, **changes):
    data = {
        "name": f"Szenario {prefix}", "counters_by_hour": "6,6,6", "walk_ins_by_hour": "5,5,5",
        "appointments_by_hour": "10,10,10", "mean_service_minutes": "20", "no_show_percent": "10",
    } | changes  # fmt: skip
    return {f"{prefix}-{k}": v for k, v in data.items()}


def test_simulation_runs_in_the_background_and_shows_both_scenarios(client, controller):
    data = scenario_post("a") | scenario_post("b", counters_by_hour="4,4,4")
    data |= {"days": "2", "replications": "5", "seed": "9"}
    response = client.post("/de/staff/controlling/simulation/", data)
    run = SimulationRun.objects.get()
    assert response.status_code == 302
    assert run.status == SimulationRun.Status.QUEUED
    queued = client.get(f"/de/staff/controlling/simulation/{run.pk}/").content.decode()
    assert "<progress" in queued and 'hx-trigger="every 1s"' in queued

    execute_simulation(run.pk)
    run.refresh_from_db()
    assert run.status == SimulationRun.Status.DONE and run.progress == 100
    page = client.get(f"/de/staff/controlling/simulation/{run.pk}/").content.decode()
    assert "Szenario a" in page and "Szenario b" in page and "<svg" in page
    assert run.results[1]["mean_wait"] > run.results[0]["mean_wait"]  # fewer counters


def test_simulation_refuses_mismatched_hours(client, controller):
    data = scenario_post("a", walk_ins_by_hour="5,5") | scenario_post("b")
    data |= {"days": "1", "replications": "1", "seed": "1"}
    response = client.post("/de/staff/controlling/simulation/", data)
    assert response.status_code == 400
    assert SimulationRun.objects.count() == 0
