"""The statement's versions, the sign-language videos and the barrier reports.

A statement is edited as a draft and published by staff (``services.publish``); a
published version is history: it is never changed or deleted, neither are its
non-accessible parts. A change is a new version (``services.new_draft`` copies the
latest one). The public page shows the latest published version.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.core.i18n import TranslatedTextField
from willkommen.core.models import AppendOnlyModel

FEDERAL_CONCILIATION_BODY_URL = "https://www.schlichtungsstelle-bgg.de"


class PublishedStatementError(TypeError):
    """A published statement (or one of its parts) was to be changed or deleted."""


def _published(statements) -> bool:
    return statements.filter(published_at__isnull=False).exists()


class Conformance(models.TextChoices):
    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NONE = "none", _("not compliant")


class EvaluationMethod(models.TextChoices):
    SELF_ASSESSMENT = "self", _("self-assessment")
    EXTERNAL = "external", _("external test")


class StatementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def drafts(self):
        return self.filter(published_at__isnull=True)

    def update(self, **kwargs):
        if self.published().exists():
            raise PublishedStatementError("published statements are history")
        return super().update(**kwargs)

    def delete(self):
        if self.published().exists():
            raise PublishedStatementError("published statements are history")
        return super().delete()


class Statement(models.Model):
    """One version of the accessibility statement (§ 12b BGG, BITV 2.0 § 7)."""

    conformance = models.CharField(
        _("conformance status"), max_length=10, choices=Conformance.choices
    )
    scope = TranslatedTextField(
        _("scope"),
        blank=True,
        multiline=True,
        help_text=_("Which website the statement covers, e.g. the online appointment pages."),
    )
    evaluation_method = models.CharField(
        _("method of the last evaluation"),
        max_length=10,
        choices=EvaluationMethod.choices,
        help_text=_("An external test is e.g. the BITV-Test of an accredited test centre."),
    )
    evaluation_detail = TranslatedTextField(
        _("who evaluated, how"),
        blank=True,
        multiline=True,
        help_text=_("E.g. “BITV-Test by an accredited test centre, 40 pages checked”."),
    )
    evaluated_on = models.DateField(_("date of the last evaluation"))
    prepared_on = models.DateField(_("statement prepared on"))
    reviewed_on = models.DateField(_("statement last reviewed on"))
    feedback_email = models.EmailField(_("feedback e-mail"))
    feedback_phone = models.CharField(_("feedback telephone"), max_length=40, blank=True)
    feedback_address = models.TextField(_("feedback postal address"), blank=True)
    state_body_name = TranslatedTextField(
        _("conciliation body of the Land"),
        blank=True,
        help_text=_("Only if the Land has a conciliation or enforcement body of its own."),
    )
    state_body_url = models.URLField(_("web address of the Land's body"), blank=True)
    version = models.PositiveIntegerField(_("version"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-version", "-created_at"]
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")
        constraints = [
            models.UniqueConstraint(fields=["version"], name="statement_version_unique"),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True, version__isnull=True)
                | models.Q(published_at__isnull=False, version__isnull=False),
                name="statement_published_has_version",
            ),
        ]

    def __str__(self):
        if self.version:
            return str(_("Version %(version)s") % {"version": self.version})
        return str(_("Draft"))

    def save(self, *args, **kwargs):
        # Publishing is one conditional UPDATE of a draft (services.publish); once the
        # stored row is published, every save is refused.
        if _published(Statement.objects.filter(pk=self.pk)):
            raise PublishedStatementError("published statements are history")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if _published(Statement.objects.filter(pk=self.pk)):
            raise PublishedStatementError("published statements are history")
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class NonAccessiblePart(models.Model):
    """What is not (yet) accessible, why, and what to use instead."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="parts")
    part = TranslatedTextField(_("what is not accessible"), multiline=True)
    reason = TranslatedTextField(_("reason"), multiline=True)
    alternative = TranslatedTextField(_("alternative access"), blank=True, multiline=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("non-accessible part")
        verbose_name_plural = _("non-accessible parts")

    def __str__(self):
        from willkommen.core.i18n import tr

        return tr(self.part)[:80]

    def save(self, *args, **kwargs):
        # Neither a part of a published version nor a part moved out of one.
        stored = NonAccessiblePart.objects.filter(pk=self.pk).values("statement")
        if _published(
            Statement.objects.filter(pk=self.statement_id) | Statement.objects.filter(pk__in=stored)
        ):
            raise PublishedStatementError("published statements are history")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if _published(Statement.objects.filter(pk=self.statement_id)):
            raise PublishedStatementError("published statements are history")
        return super().delete(*args, **kwargs)


def video_path(instance, filename):
    return f"accessibility/videos/{instance.sha256[:32]}.{instance.kind}"


def captions_path(instance, filename):
    return f"accessibility/captions/{instance.sha256[:32]}.vtt"


class SignLanguageVideo(models.Model):
    """A DGS video of the office, uploaded by staff through the video gate."""

    title = TranslatedTextField(_("title"))
    description = TranslatedTextField(_("description"), blank=True, multiline=True)
    file = models.FileField(_("video file"), upload_to=video_path)
    kind = models.CharField(_("format"), max_length=10, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    size_bytes = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    duration_seconds = models.PositiveIntegerField(_("duration in seconds"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    scan_result = models.CharField(_("virus scan"), max_length=20, editable=False)
    captions = models.FileField(_("captions (WebVTT)"), upload_to=captions_path, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("shown on the page"), default=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("sign-language video")
        verbose_name_plural = _("sign-language videos")

    def __str__(self):
        from willkommen.core.i18n import tr

        return tr(self.title)

    @property
    def mime(self) -> str:
        return {"mp4": "video/mp4", "webm": "video/webm"}.get(self.kind, "")

    def file_url(self) -> str:
        from django.urls import reverse

        return reverse("accessibility_media:video_file", args=[self.file.name.rsplit("/", 1)[-1]])

    def captions_url(self) -> str:
        from django.urls import reverse

        name = self.captions.name.rsplit("/", 1)[-1]
        return reverse("accessibility_media:captions_file", args=[name]) if name else ""

    @property
    def duration_clock(self) -> str:
        """3:05 (minutes:seconds), as players show it; empty when unknown."""
        if self.duration_seconds is None:
            return ""
        minutes, seconds = divmod(self.duration_seconds, 60)
        return f"{minutes}:{seconds:02d}"


class ReportStatus(models.TextChoices):
    NEW = "new", _("new")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


class ReportAction(models.TextChoices):
    SUBMIT = "submit", _("submit")
    START = "start", _("start work")
    ANSWER = "answer", _("mark as answered")
    CLOSE = "close", _("close")
    REOPEN = "reopen", _("reopen")


class BarrierReport(models.Model):
    """A barrier someone met on the pages ("Barriere melden"), for the office to fix."""

    page = models.CharField(_("page"), max_length=500)
    problem = models.TextField(_("what went wrong"), max_length=5000)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.NEW
    )
    created_at = models.DateTimeField(_("received at"))
    # Set when retention blanked the contact and the text (ACCESSIBILITY_REPORT_RETENTION_DAYS).
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("barrier report")
        verbose_name_plural = _("barrier reports")
        indexes = [models.Index(fields=["status", "created_at"], name="barrier_report_status_idx")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.page[:60]}"


class BarrierReportEvent(AppendOnlyModel):
    """Each status change of a report: from, to, when, who (None: the reporter)."""

    report = models.ForeignKey(BarrierReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=ReportAction.choices)
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
