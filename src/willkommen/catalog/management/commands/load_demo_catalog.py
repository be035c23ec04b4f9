from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from willkommen.catalog.services import DEMO_CATALOG, load_catalog_file


class Command(BaseCommand):
    help = "Load (or update) a service catalogue from a JSON file; the demo catalogue by default."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEMO_CATALOG))

    def handle(self, *args, path, **options):
        try:
            counts = load_catalog_file(Path(path))
        except (OSError, ValueError, KeyError, ValidationError) as exc:
            raise CommandError(f"{path}: nothing loaded: {exc}") from exc
        self.stdout.write("catalogue: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
