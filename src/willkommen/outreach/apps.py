from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "willkommen.outreach"
    label = "outreach"
    verbose_name = _("Expiry register and invitations")

    def ready(self):
        from willkommen.accounts.roles import Role
        from willkommen.core import panels, publiclinks, workareas
        from willkommen.outreach.public_views import status_panel

        workareas.register(
            "outreach:register",
            _("Expiry register: permits expiring soon, invitations, online extensions"),
            roles=(Role.CLERK, Role.TEAM_LEAD, Role.ADMIN),
            position=65,
        )
        panels.register("status", "outreach", status_panel, position=10)
        publiclinks.register_footer_link("outreach:verify_form", _("Check a receipt"), position=80)
