import json

from django.core.management.base import BaseCommand, CommandError

from willkommen.intake import destinations
from willkommen.intake.models import Destination


class Command(BaseCommand):
    help = (
        "Create (or, with --rotate, add) the decryption and signing keys of a destination "
        "and print their public JWKs to register with FIT-Connect."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination_id")
        parser.add_argument("--rotate", action="store_true", help="keep the old keys after the new")

    def handle(self, *args, destination_id, rotate, **options):
        destination = Destination.objects.filter(destination_id=destination_id).first()
        if destination is None:
            raise CommandError(f"no destination {destination_id}")
        published = destinations.new_keys(destination, rotate=rotate)
        self.stdout.write(json.dumps(published, indent=2))
