from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """Complaints and praise (Beschwerdemanagement), right of cases in the flow."""

    name = "willkommen.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from willkommen.complaints.selectors import HANDLER_ROLES, INTAKE_ROLES
        from willkommen.core import publiclinks, workareas

        publiclinks.register_link(
            "complaints:form",
            _("Complaints and praise"),
            _("Tell us what went wrong, or what went well."),
            position=70,
        )
        workareas.register("complaints_staff:list", _("Complaints"), HANDLER_ROLES, position=60)
        workareas.register(
            "complaints_staff:new", _("Record a complaint"), INTAKE_ROLES, position=61
        )
