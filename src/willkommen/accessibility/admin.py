"""The office edits the statement, uploads the videos and works the barrier reports here.

The admin is the admin role's (core.admin_site); every change goes through the services.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from willkommen.accessibility import services
from willkommen.accessibility.forms import SignLanguageVideoForm
from willkommen.accessibility.models import (
    BarrierReport,
    BarrierReportEvent,
    NonAccessiblePart,
    ReportAction,
    SignLanguageVideo,
    Statement,
)
from willkommen.core.admin import ReadOnlyInline
from willkommen.core.admin_site import admin_site
from willkommen.core.states import TransitionNotAllowed


class PartInline(admin.StackedInline):
    model = NonAccessiblePart
    extra = 0

    def _editable(self, obj):
        return obj is None or not obj.is_published

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Statement, site=admin_site)
class StatementAdmin(admin.ModelAdmin):
    """Drafts are edited; "publish" makes one the current version, which then stays as it is."""

    list_display = ("__str__", "conformance", "evaluated_on", "reviewed_on", "published_at")
    readonly_fields = ("version", "published_at", "published_by")
    inlines = [PartInline]
    actions = ["publish", "copy_as_draft"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # published versions are history
        return actions

    @admin.action(description=_("Publish the selected draft"))
    def publish(self, request, queryset):
        for statement in queryset:
            try:
                services.publish(statement, actor=request.user)
            except services.AccessibilityError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Published as %(version)s.") % {"version": statement})

    @admin.action(description=_("Start a new version from the selected one"))
    def copy_as_draft(self, request, queryset):
        for statement in queryset[:1]:
            services.new_draft(statement)
            messages.success(request, _("A new draft was made; edit it and publish it."))


@admin.register(SignLanguageVideo, site=admin_site)
class SignLanguageVideoAdmin(admin.ModelAdmin):
    form = SignLanguageVideoForm
    list_display = ("__str__", "kind", "size_bytes", "duration_seconds", "is_published")
    readonly_fields = ("kind", "size_bytes", "width", "height", "scan_result", "uploaded_at")

    def save_model(self, request, obj, form, change):
        services.store_video(obj, form.checked_video, form.checked_captions)


class EventInline(ReadOnlyInline):
    model = BarrierReportEvent
    fields = ("at", "action", "from_status", "to_status", "actor")
    readonly_fields = fields


@admin.register(BarrierReport, site=admin_site)
class BarrierReportAdmin(admin.ModelAdmin):
    """Reports come from the public form; staff move them along the state table."""

    list_display = ("created_at", "status", "page", "language", "email")
    list_filter = ("status", "language")
    search_fields = ("page", "problem", "email", "name")
    readonly_fields = [f.name for f in BarrierReport._meta.fields]
    inlines = [EventInline]
    actions = ["start", "answer", "close", "reopen"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _move(self, request, queryset, action):
        moved = 0
        for report in queryset:
            try:
                services.move_report(report, action, actor=request.user)
                moved += 1
            except TransitionNotAllowed as error:
                messages.error(request, f"{report}: {error.message}")
        if moved:
            messages.success(request, _("%(count)d report(s) changed.") % {"count": moved})

    @admin.action(description=_("Start work"))
    def start(self, request, queryset):
        self._move(request, queryset, ReportAction.START)

    @admin.action(description=_("Mark as answered"))
    def answer(self, request, queryset):
        self._move(request, queryset, ReportAction.ANSWER)

    @admin.action(description=_("Close"))
    def close(self, request, queryset):
        self._move(request, queryset, ReportAction.CLOSE)

    @admin.action(description=_("Reopen"))
    def reopen(self, request, queryset):
        self._move(request, queryset, ReportAction.REOPEN)
