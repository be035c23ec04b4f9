from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """Complaints and praise (Beschwerdemanagement), right of cases in the flow."""

    name = "willkommen.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from willkommen.accessibility.signals import barrier_report_anonymised, barrier_reported
        from willkommen.complaints import receivers
        from willkommen.complaints.selectors import HANDLER_ROLES, INTAKE_ROLES
        from willkommen.core import publiclinks, workareas

        barrier_reported.connect(receivers.barrier_reported, dispatch_uid="complaints.barrier")
        barrier_report_anonymised.connect(
            receivers.barrier_report_anonymised, dispatch_uid="complaints.barrier_anonymised"
        )

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
