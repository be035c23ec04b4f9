from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "willkommen.payments"
    label = "payments"
    verbose_name = _("Fees and payments")

    def ready(self):
        from willkommen.accounts.roles import Role
        from willkommen.core import panels, workareas
        from willkommen.payments import sections

        workareas.register(
            "payments:counter",
            _("Payments: cash and card at the counter, daily cash report"),
            roles=(Role.RECEPTION, Role.TEAM_LEAD, Role.ADMIN),
            position=55,
        )
        panels.register("case", "payments", sections.case_section, position=10)
        panels.register("status", "payments", sections.status_section, position=20)
