from django.contrib import admin

from willkommen.imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Read only: batches are made and removed by ``manage.py import_history``."""

    list_display = ["pk", "kind", "filename", "imported_at", "rows_written", "rows_skipped"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
