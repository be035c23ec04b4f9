"""What a case requires and holds: required documents, document versions, the receipt."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.cases.models.cases import Case
from willkommen.core.i18n import TranslatedTextField, tr


class Requirement(models.Model):
    """A checklist item as it applied when the case was opened.

    Copied from the catalogue, so that later catalogue edits (which replace a
    service's checklist) neither change nor break what this case required.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="requirements")
    checklist_item = models.ForeignKey(
        "catalog.ChecklistItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    title = TranslatedTextField(_("document"))
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["case", "position", "id"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self):
        return tr(self.title)


class Document(models.Model):
    """One version of an uploaded file. A new upload for the same item supersedes the old one."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        Requirement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("fulfils"),
    )
    supersedes = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="superseded_by"
    )
    version = models.PositiveSmallIntegerField(default=1)
    # A random name chosen by us; the uploader's file name never reaches the disk.
    stored_name = models.CharField(max_length=200, unique=True)
    original_name = models.CharField(_("file name"), max_length=150)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField("SHA-256", max_length=64)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    pixels = models.PositiveIntegerField(null=True, blank=True)
    scan_result = models.CharField(max_length=20)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_applicant = models.BooleanField(_("uploaded by the applicant"), default=False)

    class Meta:
        ordering = ["case", "requirement", "version"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return f"{self.original_name} (v{self.version})"

    @property
    def content_type(self) -> str:
        return {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}[self.kind]


class Receipt(models.Model):
    """Eingangsbestätigung: issued once, when the case became complete."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="receipt")
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    pdf = models.BinaryField()
    mail = models.ForeignKey(
        "core.OutboxMail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    forecast_text = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self):
        return f"{self.case_id}: {self.issued_at:%Y-%m-%d}"
