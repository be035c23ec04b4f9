from django.core.management.base import BaseCommand

from willkommen.cases.services import apply_retention


class Command(BaseCommand):
    help = (
        "Anonymise closed cases past their deletion date (persons, documents, notes, "
        "contact data) and delete old contact requests; prints what it did."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only report what is due.")

    def handle(self, *args, dry_run, **options):
        report = apply_retention(dry_run=dry_run)
        verb = "due" if dry_run else "anonymised"
        self.stdout.write(
            f"cases {verb}: {len(report.cases)}; documents deleted: "
            f"{0 if dry_run else report.documents}; contact requests deleted: "
            f"{0 if dry_run else report.contact_requests}"
        )
        for reference in report.cases:
            self.stdout.write(f"  {reference}")
