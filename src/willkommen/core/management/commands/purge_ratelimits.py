from django.core.management.base import BaseCommand

from willkommen.core.noscript import purge_used
from willkommen.core.ratelimit import purge_expired


class Command(BaseCommand):
    help = (
        "Delete rate-limit windows that have ended and used no-script waiting tickets "
        "that could not be accepted any more (run hourly; manage.py worker does)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"deleted {purge_expired()} ended rate-limit window(s)")
        self.stdout.write(f"deleted {purge_used()} used waiting ticket(s) past their lifetime")
