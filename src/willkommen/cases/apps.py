from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "willkommen.cases"
    label = "cases"
    verbose_name = _("Case files")

    def ready(self):
        from willkommen.accounts.roles import Role
        from willkommen.core import workareas

        workareas.register(
            "cases:list",
            _("Case files: my team's cases, inbox, documents, status"),
            roles=(Role.CLERK, Role.TEAM_LEAD, Role.ADMIN),
            position=60,
        )
