"""Import batches: one file of one kind, and which rows of other apps it brought in.

The link from an imported row to its batch is a mapping row here (batch, content
type, object id), so the apps that own the rows need no import field of their own.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    VISITS = "visits", _("visits")
    APPOINTMENTS = "appointments", _("appointments")
    CASES = "cases", _("cases")
    CERTIFICATES = "certificates", _("interim certificates")


class ImportBatch(models.Model):
    """One imported file. The same file (same bytes) of the same kind is one batch, once."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    filename = models.CharField(_("file name"), max_length=255)
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("imported by"),
    )
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    rows_skipped = models.PositiveIntegerField(_("bad rows skipped"), default=0)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        constraints = [
            models.UniqueConstraint(fields=["kind", "sha256"], name="import_batch_once_per_file")
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()}: {self.filename}"


class ImportedRecord(models.Model):
    """One row another app stored for a batch; ``source_key`` is its id in the old system."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    source_key = models.CharField(_("key in the earlier system"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="imported_record_one_batch"
            )
        ]
        indexes = [
            models.Index(fields=["batch", "content_type"], name="imported_record_batch"),
            models.Index(fields=["content_type", "source_key"], name="imported_record_source"),
        ]

    def __str__(self):
        return f"{self.batch_id}: {self.content_type_id}/{self.object_id}"
