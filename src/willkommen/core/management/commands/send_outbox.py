import time

from django.core.management.base import BaseCommand

from willkommen.core.outbox import deliver_due


class Command(BaseCommand):
    help = "Send due mails from the outbox; with --loop, keep sweeping (the worker's safety net)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between sweeps")

    def handle(self, *args, loop, interval, **options):
        while True:
            sent = deliver_due()
            if sent or not loop:
                self.stdout.write(f"sent {sent} mail(s)")
            if not loop:
                return
            time.sleep(interval)
