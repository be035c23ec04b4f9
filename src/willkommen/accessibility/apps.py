from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessibilityConfig(AppConfig):
    """BITV 2.0: the accessibility statement, Leichte Sprache, DGS and barrier reports.

    Right after core in the flow: it imports core only, so every app may link to it.
    """

    name = "willkommen.accessibility"
    label = "accessibility"
    verbose_name = _("Accessibility")

    def ready(self):
        from willkommen.core import publiclinks

        publiclinks.register_footer_link(
            "accessibility:statement", _("Accessibility statement"), position=20
        )
        publiclinks.register_footer_link("accessibility:report", _("Report a barrier"), position=30)
        publiclinks.register_link(
            "accessibility:easy_language",
            _("Easy-to-read German (Leichte Sprache)"),
            _("What these pages offer, explained in easy German."),
            position=80,
        )
        publiclinks.register_link(
            "accessibility:sign_language",
            _("German Sign Language (DGS)"),
            _("What these pages offer, explained in German Sign Language videos."),
            position=90,
        )
