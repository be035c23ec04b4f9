from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class WillkommenAdminSite(admin.AdminSite):
    """The Django admin, for the admin role only (not for every is_staff user)."""

    site_header = _("willkommen – administration")
    site_title = _("willkommen administration")
    index_title = _("Master data and users")

    def has_permission(self, request):
        from willkommen.accounts.roles import Role, has_role

        user = request.user
        return user.is_active and user.is_authenticated and has_role(user, Role.ADMIN)


admin_site = WillkommenAdminSite(name="admin")
