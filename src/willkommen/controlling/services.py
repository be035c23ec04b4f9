"""Writes of controlling: task imports, staffing runs, simulation runs."""

import dataclasses
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from willkommen.catalog.models import Service
from willkommen.controlling import simulation
from willkommen.controlling.models import (
    SimulationRun,
    StaffingParameters,
    StaffingRun,
    StaffingTask,
)
from willkommen.controlling.queueing import QueueError
from willkommen.controlling.staffing import StaffingInputError, TaskRow, calculate


@transaction.atomic
def import_tasks(rows: list[TaskRow], *, is_example: bool = False) -> dict[str, int]:
    """Create or update tasks from an import; tasks missing from the file are deactivated.

    A row may name the services whose work items count as its cases; an unknown
    service name refuses the whole file (nothing is changed).
    """
    wanted = {slug for row in rows for slug in row.services}
    services = {s.slug: s for s in Service.objects.filter(slug__in=wanted)}
    unknown = sorted(wanted - services.keys())
    if unknown:
        raise StaffingInputError(
            [_("Unknown services: %(names)s.") % {"names": ", ".join(unknown)}]
        )
    created = updated = 0
    codes = [row.code for row in rows]
    for row in rows:
        task, was_created = StaffingTask.objects.update_or_create(
            code=row.code,
            defaults={
                "name": row.name,
                "minutes_per_case": row.minutes_per_case,
                "source": row.source,
                "is_example": is_example,
                "is_active": True,
                "counted_as": row.counted_as,
            },
        )
        task.services.set([services[slug] for slug in row.services])
        created += was_created
        updated += not was_created
    deactivated = (
        StaffingTask.objects.exclude(code__in=codes).filter(is_active=True).update(is_active=False)
    )
    return {"created": created, "updated": updated, "deactivated": deactivated}


@transaction.atomic
def run_staffing(
    *,
    user,
    label: str,
    parameters: StaffingParameters,
    cases: dict[str, int],
    posts: Decimal,
    vacant_posts: Decimal,
) -> StaffingRun:
    if vacant_posts > posts:
        raise StaffingInputError(["vacant > posts"])
    tasks = list(StaffingTask.objects.filter(is_active=True, code__in=cases))
    lines = [
        {
            "code": task.code,
            "name": task.name,
            "cases": cases[task.code],
            "minutes_per_case": str(task.minutes_per_case),
            "source": task.source,
            "minutes": str(cases[task.code] * task.minutes_per_case),
        }
        for task in tasks
    ]
    result = calculate(
        [(cases[t.code], t.minutes_per_case) for t in tasks],
        parameters.annual_working_minutes,
        parameters.distributed_time_percent,
    )
    return StaffingRun.objects.create(
        created_by=user,
        label=label,
        parameters={
            "valid_from": parameters.valid_from.isoformat(),
            "annual_working_minutes": parameters.annual_working_minutes,
            "distributed_time_percent": str(parameters.distributed_time_percent),
            "available_minutes_per_post": str(result.available_minutes_per_post),
            "source": parameters.source,
            "is_example": parameters.is_example,
        },
        lines=lines,
        posts=posts,
        vacant_posts=vacant_posts,
        required_minutes=result.required_minutes,
        fte_needed=result.fte_needed,
    )


def scenario_from_dict(data: dict) -> simulation.Scenario:
    fields = {f.name for f in dataclasses.fields(simulation.Scenario)}
    values = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in fields}
    return simulation.Scenario(**values)


@transaction.atomic
def start_simulation(
    *, user, scenarios: list[simulation.Scenario], replications: int, seed: int
) -> SimulationRun:
    for scenario in scenarios:
        scenario.validate()
    run = SimulationRun.objects.create(
        created_by=user,
        scenarios=[dataclasses.asdict(s) for s in scenarios],
        replications=replications,
        seed=seed,
    )
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from willkommen.controlling.tasks import simulate_run

    simulate_run.enqueue(run_id)


def execute_simulation(run_id: int) -> SimulationRun:
    """Run a queued simulation, writing progress as it goes (called by the worker)."""
    claimed = SimulationRun.objects.filter(pk=run_id, status=SimulationRun.Status.QUEUED).update(
        status=SimulationRun.Status.RUNNING
    )
    run = SimulationRun.objects.get(pk=run_id)
    if not claimed:
        return run
    total = len(run.scenarios) * run.replications
    done_before = 0
    last = -1

    def progress(done, _total):
        nonlocal last
        percent = int(100 * (done_before + done) / total)
        if percent != last:
            last = percent
            SimulationRun.objects.filter(pk=run_id).update(progress=min(percent, 99))

    results = []
    try:
        for data in run.scenarios:
            outcome = simulation.simulate(
                scenario_from_dict(data),
                replications=run.replications,
                seed=run.seed,
                progress=progress,
            )
            done_before += run.replications
            result = dataclasses.asdict(outcome)
            result.pop("scenario")
            results.append(result)
    except QueueError as exc:
        SimulationRun.objects.filter(pk=run_id).update(
            status=SimulationRun.Status.FAILED, error=str(exc)
        )
    else:
        SimulationRun.objects.filter(pk=run_id).update(
            status=SimulationRun.Status.DONE, progress=100, results=results
        )
    run.refresh_from_db()
    return run
