from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "willkommen.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from django.core.signals import request_finished

        from willkommen.monitoring.requests import forget_request_id

        request_finished.connect(forget_request_id, dispatch_uid="monitoring:request_id")
