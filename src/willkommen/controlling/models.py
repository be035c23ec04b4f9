"""Staffing calculation (Personalbemessung) and simulation runs.

Inputs are kept with every result, so that a run from last year can be
compared with today's and nobody has to remember which figures went in.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffingParameters(models.Model):
    """Dated, sourced assumptions: how many minutes a full-time post works in a year."""

    valid_from = models.DateField(_("valid from"), unique=True)
    annual_working_minutes = models.PositiveIntegerField(
        _("annual working minutes of a full-time post"),
        validators=[MinValueValidator(10_000), MaxValueValidator(200_000)],
    )
    distributed_time_percent = models.DecimalField(
        _("distributed time (Verteilzeit) in percent"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(50))],
        help_text=_("Share of working time not attributable to cases: meetings, training, …"),
    )
    source = models.CharField(_("source"), max_length=300)
    is_example = models.BooleanField(_("example value"), default=False)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("staffing parameters")
        verbose_name_plural = _("staffing parameters")

    def __str__(self):
        minutes, share = self.annual_working_minutes, self.distributed_time_percent
        return f"{self.valid_from}: {minutes} min, {share} %"


class CountedAs(models.TextChoices):
    """Which records give a task its case numbers (see ``records``)."""

    # Counter work: each piece of work at the counter or desk is a case of the task.
    WORK_ITEMS = "work_items", _("work items recorded at the counter")
    # Case work: one case however often its applicant came.
    CASES_RECEIVED = "cases_received", _("cases received (case file)")
    CASES_CLOSED = "cases_closed", _("cases closed (case file)")
    INTERIM_CERTIFICATES = "interim_certificates", _("interim certificates issued (case file)")


class StaffingTask(models.Model):
    """A kind of work with its time per case, e.g. from an external staffing study."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("task"), max_length=200)
    minutes_per_case = models.DecimalField(
        _("minutes per case"),
        max_digits=7,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal(10_000))],
    )
    source = models.CharField(_("source"), max_length=300)
    is_example = models.BooleanField(_("example value"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    services = models.ManyToManyField(
        "catalog.Service",
        blank=True,
        related_name="+",
        verbose_name=_("services"),
        help_text=_("Their recorded work items, or their cases, count as cases of this task."),
    )
    counted_as = models.CharField(
        _("case numbers from"),
        max_length=20,
        choices=CountedAs.choices,
        default=CountedAs.WORK_ITEMS,
        help_text=_("Case work takes cases from the case file, counter work takes work items."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("staffing task")
        verbose_name_plural = _("staffing tasks")

    def __str__(self):
        return f"{self.name} ({self.minutes_per_case} min)"


class StaffingRun(models.Model):
    """One calculation, with everything that went into it."""

    created_at = models.DateTimeField(_("calculated at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    label = models.CharField(_("label"), max_length=120)
    parameters = models.JSONField(_("parameters used"))
    lines = models.JSONField(_("tasks, cases and minutes"))
    posts = models.DecimalField(_("posts"), max_digits=6, decimal_places=2)
    vacant_posts = models.DecimalField(_("vacant posts"), max_digits=6, decimal_places=2)
    required_minutes = models.DecimalField(_("required minutes"), max_digits=14, decimal_places=1)
    fte_needed = models.DecimalField(_("full-time posts needed"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("staffing calculation")
        verbose_name_plural = _("staffing calculations")

    def __str__(self):
        return f"{self.label} ({self.fte_needed} FTE)"

    @property
    def filled_posts(self):
        return self.posts - self.vacant_posts

    @property
    def gap(self):
        """Posts missing (positive) or spare (negative) against the filled posts."""
        return self.fte_needed - self.filled_posts

    @property
    def total_cases(self):
        return sum(line["cases"] for line in self.lines)


class SimulationRun(models.Model):
    """Scenarios simulated side by side; run in the background with visible progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    scenarios = models.JSONField(_("scenarios"))
    replications = models.PositiveIntegerField(_("replications"))
    seed = models.PositiveIntegerField(_("seed"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress in percent"), default=0)
    results = models.JSONField(_("results"), default=list)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("simulation")
        verbose_name_plural = _("simulations")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"
