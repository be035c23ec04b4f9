from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "willkommen.events"
    label = "events"
    verbose_name = _("Events for other systems")

    def ready(self):
        from willkommen.events import publishing

        publishing.connect()
