"""The writes of the import: one file as one batch, and taking a batch back.

A file is read and every row checked before anything is written; with a bad row
nothing of the file is written, unless ``skip_bad`` (then the good rows are, and
the bad ones reported). All rows of a file go in one transaction, through the
owning apps' bulk services, and each stored row is linked to the batch. The batch
is the file's SHA-256 and kind: the same file twice is imported once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext as _

from willkommen.accounts.models import User
from willkommen.accounts.services import system_user
from willkommen.booking.errors import BookingError
from willkommen.cases.errors import CaseError
from willkommen.core import clock
from willkommen.frontdesk.services import FrontdeskError
from willkommen.imports import reading
from willkommen.imports.fields import RowError
from willkommen.imports.kinds import Parsed, kind_for
from willkommen.imports.models import ImportBatch, ImportedRecord
from willkommen.imports.reading import FileError

IMPORT_USERNAME = "import-altdaten"
CHUNK = 5000


class ImportRefused(Exception):
    """The import was refused as a whole (its reason is the message)."""


@dataclass
class BadRow:
    file: str
    line: int
    reason: str

    def __str__(self):
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class Outcome:
    kind: str
    file: str
    rows_read: int = 0
    rows_valid: int = 0
    written: int = 0
    bad: list[BadRow] = field(default_factory=list)
    batch: ImportBatch | None = None
    already: ImportBatch | None = None  # the batch this file was imported as before
    dry_run: bool = False


def import_user() -> User:
    """Who the imported history is recorded by, unless the command names someone."""
    return system_user(IMPORT_USERNAME, "Import", "Altdaten")


def import_file(
    path: Path,
    kind: str,
    *,
    actor=None,
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Check every row of ``path`` and, unless ``dry_run``, write it as one batch.

    ``progress(done, total)`` is called while rows are checked and written.
    Raises FileError for a file that cannot be read at all.
    """
    actor = actor or import_user()
    outcome = Outcome(kind, str(path), dry_run=dry_run)
    sha256 = reading.file_hash(path)
    outcome.already = ImportBatch.objects.filter(kind=kind, sha256=sha256).first()
    if outcome.already:
        return outcome
    header, rows = reading.read_rows(path)
    rows_kind = kind_for(kind, actor)
    missing = [column for column in rows_kind.required if column not in header]
    if missing:
        raise FileError(_("Columns missing: %(columns)s") % {"columns": ", ".join(missing)})
    outcome.rows_read = len(rows)
    parsed: list[Parsed] = []
    total = len(rows) * (1 if dry_run else 2)
    for done, row in enumerate(rows, start=1):
        try:
            parsed.append(rows_kind.parse(row))
        except RowError as error:
            outcome.bad.append(BadRow(path.name, row.line, str(error)))
        if progress and (done % 500 == 0 or done == len(rows)):
            progress(done, total)
    outcome.rows_valid = len(parsed)
    if dry_run or (outcome.bad and not skip_bad) or not parsed:
        return outcome
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=kind,
            sha256=sha256,
            filename=path.name[:255],
            imported_at=clock.now(),
            imported_by=actor,
            rows_read=len(rows),
            rows_skipped=len(outcome.bad),
        )
        content_type = ContentType.objects.get_for_model(rows_kind.model)
        for start in range(0, len(parsed), CHUNK):
            chunk = parsed[start : start + CHUNK]
            stored = rows_kind.write(chunk)
            ImportedRecord.objects.bulk_create(
                [
                    ImportedRecord(
                        batch=batch,
                        content_type=content_type,
                        object_id=row.pk,
                        source_key=entry.source_key[:100],
                    )
                    for row, entry in zip(stored, chunk, strict=True)
                ],
                batch_size=2000,
            )
            outcome.written += len(stored)
            if progress:
                progress(len(rows) + start + len(chunk), total)
        batch.rows_written = outcome.written
        batch.save(update_fields=["rows_written"])
    outcome.batch = batch
    return outcome


@transaction.atomic
def rollback_batch(batch_id: int) -> tuple[ImportBatch, int]:
    """Remove every row ``batch_id`` brought in, and the batch (its file may come again).

    Refused (ImportRefused) while rows of other batches or of live work point to them,
    e.g. imported visits that kept the appointments of this batch.
    """
    batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None:
        raise ImportRefused(_("There is no import batch %(id)s.") % {"id": batch_id})
    rows_kind = kind_for(batch.kind, batch.imported_by)
    content_type = ContentType.objects.get_for_model(rows_kind.model)
    ids = ImportedRecord.objects.filter(batch=batch, content_type=content_type).values("object_id")
    try:
        removed = rows_kind.remove(rows_kind.model.objects.filter(pk__in=ids))
    except ProtectedError as error:
        raise ImportRefused(
            _("Batch %(id)s cannot be removed: other records refer to its rows (%(what)s).")
            % {"id": batch_id, "what": _protected(error)}
        ) from None
    except (FrontdeskError, BookingError, CaseError) as error:
        raise ImportRefused(str(error)) from None
    batch.delete()
    return batch, removed


def _protected(error: ProtectedError) -> str:
    return ", ".join(sorted({str(row._meta.verbose_name) for row in error.protected_objects}))


__all__ = ["FileError", "ImportRefused", "Outcome", "import_file", "rollback_batch"]
