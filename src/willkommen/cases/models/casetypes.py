"""Case types: how cases of one service run (status order, norm, routing)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.core.i18n import TranslatedTextField


class Urgency(models.TextChoices):
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high")
    CRITICAL = "critical", _("critical (permit expires, hardship)")


class Difficulty(models.TextChoices):
    SIMPLE = "simple", _("simple")
    NORMAL = "normal", _("normal")
    COMPLEX = "complex", _("complex")


class Phase(models.TextChoices):
    """What a status means to the system (the texts are free per case type)."""

    RECEIVED = "received", _("received")
    INCOMPLETE = "incomplete", _("documents incomplete")
    COMPLETE = "complete", _("complete, receipt sent")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING = "waiting", _("waiting for another authority")
    DECIDED = "decided", _("decided")
    CLOSED = "closed", _("closed")


class CaseType(models.Model):
    """How cases of one service run: their status order, service norm and retention."""

    service = models.OneToOneField(
        "catalog.Service",
        on_delete=models.PROTECT,
        related_name="case_type",
        verbose_name=_("service"),
    )
    norm_days = models.PositiveSmallIntegerField(
        _("service norm in days"),
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("The time the office promises for the whole case, e.g. 56 for 8 weeks."),
    )
    retention_days = models.PositiveSmallIntegerField(
        _("days kept after closing"),
        default=365,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("After this, the case's personal data and documents are deleted."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["service__slug"]
        verbose_name = _("case type")
        verbose_name_plural = _("case types")

    def __str__(self):
        return str(self.service)


class StatusType(models.Model):
    case_type = models.ForeignKey(
        CaseType, on_delete=models.CASCADE, related_name="statuses", verbose_name=_("case type")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.SlugField(_("code"))
    phase = models.CharField(_("meaning"), max_length=20, choices=Phase.choices)
    internal_name = models.CharField(_("name for staff"), max_length=120)
    applicant_text = TranslatedTextField(_("text for the applicant"), multiline=True)
    notify_applicant = models.BooleanField(_("notify the applicant by e-mail"), default=False)
    target_days = models.PositiveSmallIntegerField(_("target duration in days"), default=0)
    skippable = models.BooleanField(
        _("may be skipped"),
        default=False,
        help_text=_("A case may move past this status without entering it."),
    )
    allows_return = models.BooleanField(
        _("cases may return here"),
        default=False,
        help_text=_("A case in a later status may move back to this one."),
    )

    class Meta:
        ordering = ["case_type", "position"]
        verbose_name = _("status type")
        verbose_name_plural = _("status types")
        constraints = [
            models.UniqueConstraint(
                fields=["case_type", "position"], name="status_type_unique_position"
            ),
            models.UniqueConstraint(fields=["case_type", "code"], name="status_type_unique_code"),
        ]

    def __str__(self):
        return self.internal_name


class RoutingRule(models.Model):
    """(service, urgency, difficulty) → team; empty urgency/difficulty match any value."""

    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.CASCADE,
        related_name="routing_rules",
        verbose_name=_("service"),
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, blank=True)
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty.choices, blank=True
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )

    class Meta:
        ordering = ["service", "urgency", "difficulty"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "urgency", "difficulty"], name="routing_rule_unique"
            )
        ]

    def __str__(self):
        return f"{self.service} / {self.urgency or '*'} / {self.difficulty or '*'} → {self.team}"


def validate_status_order(statuses: list[StatusType]) -> None:
    """A case type's statuses: starts with 'received', one 'complete', ends with one 'closed'."""
    phases = [s.phase for s in sorted(statuses, key=lambda s: s.position)]
    if not phases or phases[0] != Phase.RECEIVED:
        raise ValidationError(_("The first status must mean 'received'."))
    if phases.count(Phase.COMPLETE) != 1:
        raise ValidationError(_("Exactly one status must mean 'complete'."))
    if phases[-1] != Phase.CLOSED or phases.count(Phase.CLOSED) != 1:
        raise ValidationError(_("The last status, and only it, must mean 'closed'."))
