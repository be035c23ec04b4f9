from datetime import timedelta

from willkommen.controlling import kpis, records
from willkommen.controlling.models import (
    SimulationRun,
    StaffingParameters,
    StaffingRun,
    StaffingTask,
)
from willkommen.controlling.periods import Period
from willkommen.core import clock


def current_parameters():
    """The staffing parameters valid today (the newest that has started)."""
    return StaffingParameters.objects.filter(valid_from__lte=clock.office_today()).first()


def active_tasks():
    return StaffingTask.objects.filter(is_active=True).prefetch_related("services")


def recent_runs(limit: int = 20):
    return StaffingRun.objects.select_related("created_by")[:limit]


def last_cases() -> dict[str, int]:
    """Case numbers of the latest run, to prefill the next one."""
    run = StaffingRun.objects.first()
    return {line["code"]: line["cases"] for line in run.lines} if run else {}


def simulation_runs(limit: int = 10):
    return SimulationRun.objects.select_related("created_by")[:limit]


def records_period() -> Period:
    """The 365 days up to yesterday: a full year of recorded work, whatever today is."""
    yesterday = clock.local_today(kpis.OFFICE_TIMEZONE) - timedelta(days=1)
    return Period(yesterday - timedelta(days=364), yesterday, "range")


def case_numbers_from_records(tasks, period: Period) -> dict[str, int]:
    """Per task linked to services: its case numbers in ``period``, from the records it names."""
    return records.case_numbers(tasks, kpis.Scope(period))
