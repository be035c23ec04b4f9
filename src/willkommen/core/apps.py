from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "willkommen.core"
    label = "core"

    def ready(self):
        # Registers the deploy check uploads.W001 and warns if uploads go unscanned.
        from willkommen.core.uploads import scanner

        scanner.warn_if_unscanned()
