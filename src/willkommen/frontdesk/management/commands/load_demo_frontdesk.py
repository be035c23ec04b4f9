from django.core.management.base import BaseCommand

from willkommen.frontdesk.services import load_demo


class Command(BaseCommand):
    help = "Ticket prefixes per service group and a few waiting visitors today (idempotent)."

    def handle(self, *args, **options):
        counts = load_demo()
        self.stdout.write(f"front desk demo: {counts}")
