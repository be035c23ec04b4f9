from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from willkommen.cases.casetypes import load_case_types_file
from willkommen.demo.cases import load_demo_cases


class Command(BaseCommand):
    help = (
        "Load the demo case types (statuses, routing rules, contact topics) and a "
        "deterministic closed history for forecasts. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, seed, **options):
        try:
            counts = load_case_types_file()
        except (OSError, ValueError, KeyError, ValidationError) as exc:
            raise CommandError(f"case types: nothing loaded: {exc}") from exc
        self.stdout.write("case types: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
        made = load_demo_cases(seed)
        if made["closed"] or made["open"]:
            self.stdout.write(f"demo cases: {made['closed']} closed, {made['open']} open")
        else:
            self.stdout.write("demo cases: already there, nothing added")
