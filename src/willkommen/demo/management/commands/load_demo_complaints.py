from django.core.management.base import BaseCommand

from willkommen.demo import complaints


class Command(BaseCommand):
    help = "Load a dozen demo complaints and two answer templates (once)."

    def handle(self, *args, **options):
        self.stdout.write(f"complaints: {complaints.load()}")
