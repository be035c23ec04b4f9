from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from willkommen.accounts import tokens
from willkommen.accounts.models import AccessToken, GroupMapping, ProviderIdentity, Team, User
from willkommen.core.admin_site import admin_site


@admin.register(User, site=admin_site)
class StaffAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Teams"), {"fields": ("teams",)}),
    )
    filter_horizontal = ("groups", "user_permissions", "teams")
    list_display = ("username", "first_name", "last_name", "is_active", "last_login")
    list_filter = ("is_active", "groups", "teams")


@admin.register(Team, site=admin_site)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "email", "is_active")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(GroupMapping, site=admin_site)
class GroupMappingAdmin(admin.ModelAdmin):
    """Directory group → role or team, read at every sign-on (besides the settings)."""

    list_display = ("group", "role", "team")
    list_filter = ("role", "team")
    search_fields = ("group",)


@admin.register(ProviderIdentity, site=admin_site)
class ProviderIdentityAdmin(admin.ModelAdmin):
    """Shown, not edited: a wrong link would hand one person's access to another."""

    list_display = ("user", "subject", "issuer", "first_login")
    search_fields = ("user__username", "subject")
    readonly_fields = ("user", "issuer", "subject", "first_login")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessToken, site=admin_site)
class AccessTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owners (staff start page); administrators see and revoke."""

    list_display = ("name", "user", "prefix", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    exclude = ("digest",)
    readonly_fields = [f.name for f in AccessToken._meta.fields if f.name != "digest"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a revoked token stays, so that its use in the logs can be traced

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = sum(tokens.revoke(token, actor=request.user) for token in queryset)
        messages.success(request, _("%(count)d token(s) revoked.") % {"count": count})


admin_site.register(Group, GroupAdmin)
