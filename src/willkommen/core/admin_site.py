"""The Django admin site of willkommen.

Who may use it is a rule the accounts app knows (the admin role) and core does
not: accounts hands it over with ``admin_site.set_access_rule`` in its
``AppConfig.ready()``, so core never imports accounts. Without a rule, only
superusers get in (never every ``is_staff`` user).
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path
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

    def get_urls(self):
        status = path(
            "translations/",
            self.admin_view(self.translation_status),
            name="translation_status",
        )
        return [status, *super().get_urls()]

    def translation_status(self, request):
        """Per language: how many public strings and catalogue texts lack it (the
        figures of ``manage.py translation_status``), and the catalogue texts by name."""
        from willkommen.core import translations

        rows = []
        for code, name in settings.LANGUAGES:
            texts = translations.missing_texts(code)
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "strings": len(translations.missing_messages(code)),
                    "texts": texts,
                }
            )
        context = {
            **self.each_context(request),
            "title": _("Translation status"),
            "rows": rows,
        }
        return TemplateResponse(request, "admin/translation_status.html", context)


admin_site = WillkommenAdminSite(name="admin")
