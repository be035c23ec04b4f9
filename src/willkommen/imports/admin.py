from django.contrib import admin

from willkommen.core.admin import ReadOnlyAdmin
from willkommen.imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    """Batches are made and removed by ``manage.py import_history`` only."""

    list_display = ["pk", "kind", "filename", "imported_at", "rows_written", "rows_skipped"]
    list_filter = ["kind"]
