"""FIT-Connect destinations, the service mapping staff edit, and the submissions we took.

A destination row holds only what is not secret; its secrets are files named by
settings (``intake.keys``). A ``Submission`` row is the intake's memory: its unique
``submission_id`` makes "taken once" a constraint of the database, and its state
is written in the same transaction as the case, so a crash before the event was
sent leaves a row that says "event due" rather than a second case.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.core.models import AppendOnlyModel
from willkommen.intake.states import SubmissionState


class Destination(models.Model):
    """Zustellpunkt: where FIT-Connect delivers the office's online applications."""

    name = models.CharField(_("name"), max_length=120)
    destination_id = models.UUIDField(_("destination id"), unique=True)
    api_base_url = models.URLField(
        _("Submission API base URL"),
        help_text=_("e.g. https://submission-api-testing.fit-connect.fitko.dev"),
    )
    token_url = models.URLField(_("token URL"))
    client_id = models.CharField(_("OAuth client id"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("FIT-Connect destination")
        verbose_name_plural = _("FIT-Connect destinations")

    def __str__(self):
        return f"{self.name} ({self.destination_id})"


class ServiceMapping(models.Model):
    """Which of our services an online application's service identifier (LeiKa) means."""

    identifier = models.CharField(
        _("service identifier"),
        max_length=200,
        unique=True,
        help_text=_("publicServiceType.identifier, e.g. urn:de:fim:leika:leistung:99010003001006"),
    )
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )

    class Meta:
        verbose_name = _("FIT-Connect service mapping")
        verbose_name_plural = _("FIT-Connect service mappings")

    def __str__(self):
        return f"{self.identifier} → {self.service}"


class SubmissionQuerySet(models.QuerySet):
    def event_due(self):
        return self.filter(state__in=[SubmissionState.ACCEPTING, SubmissionState.REJECTING])

    def not_picked_up(self):
        """FIT-Connect counts a submission picked up once our accept or reject event arrived."""
        return self.exclude(state__in=[SubmissionState.ACCEPTED, SubmissionState.REJECTED])


class Submission(models.Model):
    destination = models.ForeignKey(
        Destination, on_delete=models.PROTECT, related_name="submissions"
    )
    submission_id = models.UUIDField(_("submission id"), unique=True)
    fitconnect_case_id = models.UUIDField(_("FIT-Connect case id"))
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=SubmissionState.choices,
        default=SubmissionState.ANNOUNCED,
    )
    announced_at = models.DateTimeField(_("announced at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    service_identifier = models.CharField(_("service identifier"), max_length=200, blank=True)
    # What arrived, kept for staff when we refused it (still encrypted: only the
    # intake's keys open it) and the metadata we could read.
    encrypted = models.JSONField(_("as delivered"), default=dict, blank=True)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    authentication_tags = models.JSONField(default=dict, blank=True)
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fitconnect_submission",
        verbose_name=_("case"),
    )
    problem_type = models.CharField(_("problem"), max_length=200, blank=True)
    problem_detail = models.TextField(_("problem detail"), blank=True)
    # Which part the problem is in: metadata, data, attachment:<id>, submission.
    problem_instance = models.CharField(max_length=60, blank=True)
    # The event's id, fixed when the decision is recorded: a retry sends the same SET.
    event_jti = models.UUIDField(null=True, blank=True)
    event_attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # Who is taking it now: fetching happens outside any transaction, under this lease.
    lease_until = models.DateTimeField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-announced_at"]
        verbose_name = _("FIT-Connect submission")
        verbose_name_plural = _("FIT-Connect submissions")
        indexes = [models.Index(fields=["state", "announced_at"], name="intake_state_idx")]

    def __str__(self):
        return str(self.submission_id)


class SubmissionEvent(AppendOnlyModel):
    """What happened to a submission, in order (taken, refused, event sent, errors)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField()
    state = models.CharField(max_length=12, choices=SubmissionState.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("submission history entry")
        verbose_name_plural = _("submission history")
