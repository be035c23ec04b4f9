import time

from django.core.management.base import BaseCommand

from willkommen.booking import services, tasks

# Rules change rarely and materialising is idempotent: every ten minutes is plenty.
MATERIALISE_EVERY = 600.0
REMIND_EVERY = 900.0


class Command(BaseCommand):
    help = (
        "Expire unconfirmed holds, return cancelled capacity after its delay, and (as tasks) "
        "materialise slots and queue tomorrow's reminders. With --loop, keep running."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--interval", type=float, default=15.0, help="seconds between sweeps")

    def handle(self, *args, loop, interval, **options):
        last_materialised = last_reminded = float("-inf")
        while True:
            expired = services.expire_due_holds()
            returned = services.return_due_capacity()
            now = time.monotonic()
            if now - last_materialised >= MATERIALISE_EVERY:
                if loop:
                    tasks.materialise_slots.enqueue()
                else:
                    self.stdout.write(f"slots: {services.materialise_all_locations()} changed")
                last_materialised = now
            if now - last_reminded >= REMIND_EVERY:
                if loop:
                    tasks.send_reminders.enqueue()
                else:
                    self.stdout.write(f"reminders: {services.queue_reminders()} queued")
                last_reminded = now
            if expired or returned or not loop:
                self.stdout.write(f"holds expired: {expired}, capacity returned: {returned}")
            if not loop:
                return
            time.sleep(interval)
