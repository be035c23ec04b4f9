from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Only for its management commands (load_demo_*, generate_demo_history)."""

    name = "willkommen.demo"
    label = "demo"
    verbose_name = "Demo"  # shown nowhere: the app has no models
