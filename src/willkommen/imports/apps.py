from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Import of past data from an earlier system (``manage.py import_history``).

    Sits right of cases and left of controlling: it writes visits, appointments and
    cases through their apps' bulk services, and controlling counts them like live work.
    """

    name = "willkommen.imports"
    label = "imports"
    verbose_name = _("import of past data")
    default_auto_field = "django.db.models.BigAutoField"
