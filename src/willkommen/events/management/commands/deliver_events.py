import time

from django.conf import settings
from django.core.management.base import BaseCommand

from willkommen.events.delivery import deliver_due, purge_delivered


class Command(BaseCommand):
    help = (
        "Send due webhook events to the subscribers and forget delivered ones after "
        "EVENTS_KEEP_DAYS; with --loop, keep sweeping."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between sweeps")

    def handle(self, *args, loop, interval, **options):
        while True:
            delivered = deliver_due()
            purged = purge_delivered(settings.EVENTS_KEEP_DAYS)
            if delivered or purged or not loop:
                self.stdout.write(f"delivered {delivered} event(s), purged {purged}")
            if not loop:
                return
            time.sleep(interval)
