from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from willkommen.core import clock
from willkommen.core.admin_site import admin_site
from willkommen.core.models import OutboxMail


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for inspection only: these rows change through their app's services
    (state machines, capacity, history), never by hand in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxMail, site=admin_site)
class OutboxMailAdmin(admin.ModelAdmin):
    """Read-only: mails are written by the use cases, not by hand."""

    list_display = (
        "created_at",
        "to",
        "subject",
        "language",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("status", "language")
    search_fields = ("to", "subject", "dedupe_key")
    readonly_fields = [f.name for f in OutboxMail._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry now"))
    def retry_now(self, request, queryset):
        count = queryset.filter(status=OutboxMail.Status.PENDING).update(
            next_attempt_at=clock.now()
        )
        messages.info(
            request, _("%(count)d mail(s) will be sent with the next sweep.") % {"count": count}
        )
