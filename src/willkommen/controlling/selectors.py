from willkommen.controlling.models import (
    SimulationRun,
    StaffingParameters,
    StaffingRun,
    StaffingTask,
)
from willkommen.core import clock


def current_parameters():
    """The staffing parameters valid today (the newest that has started)."""
    return StaffingParameters.objects.filter(
        valid_from__lte=clock.local_today("Europe/Berlin")
    ).first()


def active_tasks():
    return StaffingTask.objects.filter(is_active=True)


def recent_runs(limit: int = 20):
    return StaffingRun.objects.select_related("created_by")[:limit]


def last_cases() -> dict[str, int]:
    """Case numbers of the latest run, to prefill the next one."""
    run = StaffingRun.objects.first()
    return {line["code"]: line["cases"] for line in run.lines} if run else {}


def simulation_runs(limit: int = 10):
    return SimulationRun.objects.select_related("created_by")[:limit]
