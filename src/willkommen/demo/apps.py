from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Only for its management commands (load_demo_*, generate_demo_history)."""

    name = "willkommen.demo"
    label = "demo"
    verbose_name = _("Demo data")
