from django.contrib import admin

from willkommen.controlling.models import (
    SimulationRun,
    StaffingParameters,
    StaffingRun,
    StaffingTask,
)
from willkommen.core.admin import ReadOnlyAdmin
from willkommen.core.admin_site import admin_site


@admin.register(StaffingParameters, site=admin_site)
class StaffingParametersAdmin(admin.ModelAdmin):
    list_display = (
        "valid_from",
        "annual_working_minutes",
        "distributed_time_percent",
        "source",
        "is_example",
    )


@admin.register(StaffingTask, site=admin_site)
class StaffingTaskAdmin(admin.ModelAdmin):
    list_display = (
        "code", "name", "minutes_per_case", "counted_as", "source", "is_example", "is_active",
    )  # fmt: skip
    list_filter = ("is_active", "is_example")
    search_fields = ("code", "name")


@admin.register(StaffingRun, site=admin_site)
class StaffingRunAdmin(ReadOnlyAdmin):
    """Results are kept as calculated: read-only."""

    list_display = ("label", "created_at", "created_by", "fte_needed", "posts", "vacant_posts")
    readonly_fields = [f.name for f in StaffingRun._meta.fields]


@admin.register(SimulationRun, site=admin_site)
class SimulationRunAdmin(StaffingRunAdmin):
    list_display = ("created_at", "created_by", "status", "progress", "replications", "seed")
    readonly_fields = [f.name for f in SimulationRun._meta.fields]
