from django.core.management.base import BaseCommand

from willkommen.demo import controlling


class Command(BaseCommand):
    help = "Load example staffing tasks and parameters (clearly marked as examples)."

    def handle(self, *args, **options):
        self.stdout.write(f"staffing examples: {controlling.load()}")
