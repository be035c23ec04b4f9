from django.core.management.base import BaseCommand

from willkommen.demo import intake


class Command(BaseCommand):
    help = "The demo FIT-Connect destination (inactive) with its service mapping and keys."

    def handle(self, *args, **options):
        self.stdout.write(f"FIT-Connect: {intake.load()}")
