from django.core.management.base import BaseCommand

from willkommen.demo import booking


class Command(BaseCommand):
    help = (
        "Demo opening rules, release stages and booking rules for the demo locations, then "
        "the slots. Idempotent: a location that already has rules keeps them."
    )

    def handle(self, *args, **options):
        created, slots = booking.load()
        self.stdout.write(f"booking: {created} opening rules created, {slots} slot rows written")
