"""The Django admin site of willkommen.

Who may use it is a rule the accounts app knows (the admin role) and core does
not: accounts hands it over with ``admin_site.set_access_rule`` in its
``AppConfig.ready()``, so core never imports accounts. Without a rule, only
superusers get in (never every ``is_staff`` user).
"""

from collections.abc import Callable

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class WillkommenAdminSite(admin.AdminSite):
    """The Django admin, for the admin role only (not for every is_staff user)."""

    site_header = _("willkommen – administration")
    site_title = _("willkommen administration")
    index_title = _("Master data and users")
    access_rule: Callable[[object], bool] | None = None

    def set_access_rule(self, rule: Callable[[object], bool]) -> None:
        """``rule(user)`` decides who may use the admin (for an active, logged-in user)."""
        self.access_rule = rule

    def has_permission(self, request):
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        if self.access_rule is None:
            return user.is_superuser
        return self.access_rule(user)


admin_site = WillkommenAdminSite(name="admin")
