from django.core.management.base import BaseCommand

from willkommen.demo import frontdesk


class Command(BaseCommand):
    help = "Ticket prefixes per service group and a few waiting visitors today (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(f"front desk demo: {frontdesk.load()}")
