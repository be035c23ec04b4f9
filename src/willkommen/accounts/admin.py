from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from willkommen.accounts.models import Team, User
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


admin_site.register(Group, GroupAdmin)
