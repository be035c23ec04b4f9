from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "willkommen.core"
    label = "core"
