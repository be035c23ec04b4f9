import time

from django.core.management.base import BaseCommand

from willkommen.frontdesk.services import close_past_days, mark_no_shows


class Command(BaseCommand):
    help = (
        "Record appointments not checked in FRONTDESK_APPOINTMENT_NO_SHOW_MINUTES after "
        "their start as no-shows, and close visits of earlier days still waiting or "
        "called; with --loop, keep doing it every minute."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--interval", type=float, default=60, help="seconds between runs")

    def handle(self, *args, loop, interval, **options):
        while True:
            marked, closed = mark_no_shows(), close_past_days()
            if marked or closed or not loop:
                self.stdout.write(
                    f"appointments recorded as no-show: {marked}; "
                    f"visits of earlier days closed: {closed}"
                )
            if not loop:
                return
            time.sleep(interval)
