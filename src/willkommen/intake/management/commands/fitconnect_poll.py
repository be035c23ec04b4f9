from django.core.management.base import BaseCommand

from willkommen.intake import services
from willkommen.intake.keys import KeysMissing
from willkommen.intake.models import Destination
from willkommen.intake.submission_api import DeliveryServiceUnavailable


class Command(BaseCommand):
    help = "Fetch waiting FIT-Connect submissions of every active destination and answer them."

    def handle(self, *args, **options):
        for destination in Destination.objects.filter(is_active=True):
            try:
                result = services.poll(destination)
            except (KeysMissing, DeliveryServiceUnavailable) as error:
                # The next run tries again; nothing was taken half.
                self.stderr.write(f"{destination}: {error}")
                continue
            self.stdout.write(
                f"{destination}: {result.announced} new, {result.accepted} accepted, "
                f"{result.rejected} rejected, {result.events_sent} earlier events sent"
            )
