"""manage.py import_history KIND FILE… — bring in past data from an earlier system.

See docs/import.md for the columns of each kind.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from willkommen.accounts.models import User
from willkommen.imports import services
from willkommen.imports.models import ImportBatch, Kind
from willkommen.imports.reading import FileError


class ProgressBar:
    """A one-line bar on a terminal (nothing when the output is a file or a pipe)."""

    def __init__(self, stream, label: str, width: int = 30):
        self.stream, self.label, self.width = stream, label, width
        self.enabled = stream.isatty()
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or not total:
            return
        filled = round(self.width * done / total)
        rate = done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
            f"{100 * done // total:3d} % {rate:,.0f}/s"
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Import visits, appointments, cases or interim certificates of the past (CSV, XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", choices=Kind.values)
        parser.add_argument("files", nargs="*", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument(
            "--skip-bad", action="store_true", help="write the good rows of a file with bad ones"
        )
        parser.add_argument("--rollback", type=int, metavar="BATCH", help="remove an import batch")
        parser.add_argument("--list", action="store_true", help="list the import batches")
        parser.add_argument("--user", help="username the history is recorded by")

    def handle(self, *args, kind=None, files=(), **options):
        if options["list"]:
            return self._list()
        if options["rollback"] is not None:
            return self._rollback(options["rollback"])
        if not kind or not files:
            raise CommandError("Name a kind and at least one file (or --rollback / --list).")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']!r}.")
        failed = False
        for path in files:
            if not path.is_file():
                raise CommandError(f"{path}: no such file.")
            try:
                outcome = services.import_file(
                    path,
                    kind,
                    actor=actor,
                    dry_run=options["dry_run"],
                    skip_bad=options["skip_bad"],
                    progress=ProgressBar(sys.stderr, path.name),
                )
            except FileError as error:
                self.stderr.write(f"{path}: {error}")
                failed = True
                continue
            failed |= self._report(outcome, options["skip_bad"])
        if failed:
            raise CommandError("Some rows or files were not imported (see above).")

    def _report(self, outcome, skip_bad: bool) -> bool:
        if outcome.already:
            self.stdout.write(
                f"{outcome.file}: imported before as batch {outcome.already.pk}; nothing written."
            )
            return False
        for bad in outcome.bad:
            self.stderr.write(str(bad))
        if outcome.dry_run:
            self.stdout.write(
                f"{outcome.file}: {outcome.rows_valid} of {outcome.rows_read} rows valid; "
                f"would write {outcome.rows_valid} {outcome.kind}"
                + ("" if not outcome.bad or skip_bad else " (none while rows are bad)")
                + " (dry run, nothing written)."
            )
            return bool(outcome.bad)
        if outcome.batch is None:
            self.stdout.write(f"{outcome.file}: nothing written ({len(outcome.bad)} bad rows).")
            return bool(outcome.bad)
        self.stdout.write(
            self.style.SUCCESS(
                f"{outcome.file}: batch {outcome.batch.pk}, {outcome.written} {outcome.kind} "
                f"written, {len(outcome.bad)} bad rows skipped."
            )
        )
        return False

    def _rollback(self, batch_id: int) -> None:
        try:
            batch, removed = services.rollback_batch(batch_id)
        except services.ImportRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Batch {batch_id} ({batch.filename}): {removed} {batch.kind} removed.")

    def _list(self) -> None:
        for batch in ImportBatch.objects.all():
            self.stdout.write(
                f"{batch.pk}\t{batch.kind}\t{batch.imported_at:%Y-%m-%d %H:%M}\t"
                f"{batch.rows_written}/{batch.rows_read}\t{batch.filename}"
            )
