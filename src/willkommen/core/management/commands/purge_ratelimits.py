from django.core.management.base import BaseCommand

from willkommen.core.ratelimit import purge_expired


class Command(BaseCommand):
    help = "Delete rate-limit windows that have ended (run hourly, e.g. from cron or a timer)."

    def handle(self, *args, **options):
        self.stdout.write(f"deleted {purge_expired()} ended rate-limit window(s)")
