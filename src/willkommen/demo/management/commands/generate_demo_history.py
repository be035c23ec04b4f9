from django.core.management.base import BaseCommand, CommandError

from willkommen.demo.history import Plan, generate


class Command(BaseCommand):
    help = (
        "Generate a deterministic history of visits, appointments, emergency requests and "
        "cases for the demo (days before today only; does nothing if history exists)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument(
            "--visits-per-day", type=float, default=60, help="per location, average office day"
        )
        parser.add_argument("--cases-per-day", type=float, default=25, help="per location")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, days, visits_per_day, cases_per_day, seed, **options):
        if not 1 <= days <= 3 * 366:
            raise CommandError("--days must be between 1 and 1098.")
        if visits_per_day < 0 or cases_per_day < 0:
            raise CommandError("--visits-per-day and --cases-per-day must not be negative.")
        try:
            counts = generate(Plan(days, visits_per_day, cases_per_day, seed))
        except ValueError as error:
            raise CommandError(str(error)) from error
        if counts.skipped:
            self.stdout.write("demo history exists already; nothing changed")
            return
        self.stdout.write(
            f"demo history: {counts.visits} visits, {counts.work_items} work items, "
            f"{counts.appointments} appointments, {counts.emergency_requests} emergency "
            f"requests, {counts.cases} cases"
        )
