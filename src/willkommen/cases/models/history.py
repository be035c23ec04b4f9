"""What happened on a case: status history, classification, assignment, notes,
requests to other authorities, interim certificates and the access log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.cases.models.cases import Case
from willkommen.cases.models.casetypes import StatusType
from willkommen.cases.models.documents import Document
from willkommen.core.models import AppendOnlyModel


class StatusChange(AppendOnlyModel):
    """One entry of the append-only status history (ARCHITECTURE invariant 3)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history")
    sequence = models.PositiveIntegerField()
    status = models.ForeignKey(StatusType, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["case", "sequence"]
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        constraints = [
            # Two writers that both read sequence n cannot both store n + 1.
            models.UniqueConstraint(fields=["case", "sequence"], name="status_change_sequence")
        ]

    def __str__(self):
        return f"{self.case_id} #{self.sequence}: {self.status}"


class ClassificationChange(models.Model):
    class Field(models.TextChoices):
        URGENCY = "urgency", _("urgency")
        DIFFICULTY = "difficulty", _("difficulty")
        LANGUAGE = "language", _("language for messages")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="classification_changes")
    field = models.CharField(max_length=10, choices=Field.choices)
    old_value = models.CharField(max_length=10)
    new_value = models.CharField(max_length=10)
    reason = models.CharField(_("reason"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "changed_at"]

    def __str__(self):
        return f"{self.field}: {self.old_value} → {self.new_value}"


class Assignment(models.Model):
    """Who was made responsible, when and by whom (routing, taking, reassigning)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    assigned_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "assigned_at", "id"]

    def __str__(self):
        return f"{self.case_id} → {self.team_id}/{self.clerk_id}"


class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "-created_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self):
        return self.text[:50]


class AgencyRequest(models.Model):
    """Stellungnahme: a request to another authority that the decision waits for."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agency_requests")
    agency = models.CharField(_("authority"), max_length=200)
    subject = models.CharField(_("subject"), max_length=300)
    sent_on = models.DateField(_("sent on"))
    due_on = models.DateField(_("answer due on"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True, max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "sent_on", "id"]
        verbose_name = _("request to another authority")
        verbose_name_plural = _("requests to other authorities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__isnull=True) | models.Q(due_on__gte=models.F("sent_on")),
                name="agency_request_due_after_sent",
            ),
            models.CheckConstraint(
                condition=models.Q(answered_on__isnull=True)
                | models.Q(answered_on__gte=models.F("sent_on")),
                name="agency_request_answered_after_sent",
            ),
        ]

    def __str__(self):
        return f"{self.agency}: {self.subject}"


class InterimCertificate(models.Model):
    """Fiktionsbescheinigung issued on a case (§ 81 Abs. 5 AufenthG); a KPI."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interim_certificates")
    number = models.CharField(_("document number"), max_length=40)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "issued_on"]
        verbose_name = _("interim certificate")
        verbose_name_plural = _("interim certificates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("issued_on")),
                name="interim_certificate_valid_after_issue",
            )
        ]

    def __str__(self):
        return self.number


class AccessLogEntry(models.Model):
    """Who read a case file or downloaded a document, and when (invariant 5)."""

    class Action(models.TextChoices):
        OPEN = "open", _("opened the case file")
        DOWNLOAD = "download", _("downloaded a document")
        API = "api", _("read the case through the API")
        APPLICANT = "applicant", _("applicant viewed the status page")
        NEW_CODE = "new_code", _("gave the case a new access code")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_log")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["case", "-at"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self):
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
