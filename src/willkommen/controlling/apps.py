from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControllingConfig(AppConfig):
    name = "willkommen.controlling"
    label = "controlling"
    verbose_name = _("Controlling")

    def ready(self):
        from willkommen.accounts.roles import Role
        from willkommen.core import workareas

        workareas.register(
            "controlling:dashboard",
            _("Key figures: visits and work items, waiting times, appointments, cases; "
              "report for the council"),
            roles=(Role.TEAM_LEAD, Role.CONTROLLER),
            position=85,
        )  # fmt: skip
        workareas.register(
            "controlling:staffing",
            _("Controlling: staffing calculation, counters needed, queue simulation"),
            roles=(Role.TEAM_LEAD, Role.CONTROLLER),
            position=90,
        )
