"""Admin: ticket series are configured here; visits and their history are read-only
(every change of a visit goes through the services and is recorded)."""

from django.contrib import admin

from willkommen.core.admin import ReadOnlyAdmin, ReadOnlyInline
from willkommen.core.admin_site import admin_site
from willkommen.frontdesk.models import (
    CounterSession,
    TicketSeries,
    Visit,
    VisitTransition,
    WorkItem,
)


@admin.register(TicketSeries, site=admin_site)
class TicketSeriesAdmin(admin.ModelAdmin):
    list_display = ("prefix", "category")


class TransitionInline(ReadOnlyInline):
    model = VisitTransition
    fields = ("at", "action", "from_status", "to_status", "actor", "counter", "team", "note")
    readonly_fields = fields


class WorkItemInline(ReadOnlyInline):
    model = WorkItem
    fields = ("person", "service", "person_present", "recorded_by", "recorded_at")
    readonly_fields = fields


@admin.register(Visit, site=admin_site)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "service_day", "location", "service", "team", "priority", "status")
    list_filter = ("status", "priority", "origin", "location", "service_day")
    date_hierarchy = "service_day"
    search_fields = ("ticket_prefix", "appointment__reference")
    inlines = [TransitionInline, WorkItemInline]
    list_select_related = ("location", "service", "team")


@admin.register(CounterSession, site=admin_site)
class CounterSessionAdmin(ReadOnlyAdmin):
    list_display = ("counter", "user", "started_at", "ended_at")
    list_filter = ("counter__location",)
