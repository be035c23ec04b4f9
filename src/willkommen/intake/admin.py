"""Admin: destinations and the service mapping staff edit; submissions for inspection.

A submission row shows its state, the problem it was refused for and its history;
the payload we keep of a refused one stays encrypted (only the intake's keys open it).
"""

from django.contrib import admin

from willkommen.core.admin import ReadOnlyAdmin, ReadOnlyInline
from willkommen.core.admin_site import admin_site
from willkommen.intake.models import Destination, ServiceMapping, Submission, SubmissionEvent


@admin.register(Destination, site=admin_site)
class DestinationAdmin(admin.ModelAdmin):
    list_display = ("name", "destination_id", "api_base_url", "is_active")


@admin.register(ServiceMapping, site=admin_site)
class ServiceMappingAdmin(admin.ModelAdmin):
    list_display = ("identifier", "service")
    autocomplete_fields = ()
    search_fields = ("identifier",)


class SubmissionEventInline(ReadOnlyInline):
    model = SubmissionEvent
    fields = ("at", "state", "note")


@admin.register(Submission, site=admin_site)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ("submission_id", "destination", "state", "announced_at", "case", "problem_type")
    list_filter = ("state", "destination")
    exclude = ("encrypted",)
    inlines = [SubmissionEventInline]
