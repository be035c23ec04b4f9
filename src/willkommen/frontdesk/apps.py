from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontdeskConfig(AppConfig):
    name = "willkommen.frontdesk"
    label = "frontdesk"
    verbose_name = _("Front desk")

    def ready(self):
        from willkommen.accounts.roles import Role
        from willkommen.core import workareas

        workareas.register(
            "frontdesk:reception",
            _("Reception: check-in, waiting tickets, short matters"),
            roles=(Role.RECEPTION, Role.TEAM_LEAD),
            position=30,
        )
        workareas.register(
            "frontdesk:clerk",
            _("Workstation: call the next visitor"),
            roles=(Role.CLERK, Role.TEAM_LEAD),
            position=40,
        )
        workareas.register(
            "frontdesk:overview",
            _("Queue overview"),
            roles=(Role.RECEPTION, Role.CLERK, Role.TEAM_LEAD),
            position=50,
        )
