"""Blank the contact and text of barrier reports closed longer than the retention period."""

from django.core.management.base import BaseCommand

from willkommen.accessibility import services


class Command(BaseCommand):
    help = "Anonymise barrier reports closed more than ACCESSIBILITY_REPORT_RETENTION_DAYS ago."

    def handle(self, *args, **options):
        count = services.anonymise_closed_reports()
        self.stdout.write(f"{count} barrier report(s) anonymised")
