"""Opening rules, closures, release stages, and the slots they produce.

A ``Slot`` row is capacity that exists in the database: one row per location,
team (or none), channel, start time and release stage, with ``capacity`` and
``booked``. Booking raises ``booked`` with one conditional UPDATE that the
database evaluates under its row lock, and a CHECK constraint makes
``booked > capacity`` impossible however the row is written (invariant 1).
"""

from datetime import time

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

WEEKDAY_NAMES = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    STAFF = "staff", _("staff / phone")
    EMERGENCY = "emergency", _("emergency quota")


def validate_weekdays(value):
    if (
        not isinstance(value, list)
        or not value
        or len(set(value)) != len(value)
        or not all(isinstance(day, int) and 0 <= day <= 6 for day in value)
    ):
        raise ValidationError(_("Choose weekdays as numbers 0 (Monday) to 6 (Sunday)."))


class OpeningRule(models.Model):
    """Appointment hours of a location (or of one team there) with capacity per channel."""

    location = models.ForeignKey(
        "catalog.Location",
        on_delete=models.CASCADE,
        related_name="opening_rules",
        verbose_name=_("location"),
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="opening_rules",
        verbose_name=_("team"),
        help_text=_("Empty: capacity for every service not handled by a team with own rules."),
    )
    weekdays = models.JSONField(
        _("weekdays"),
        validators=[validate_weekdays],
        help_text=_("Numbers 0 (Monday) to 6 (Sunday), e.g. [0, 1, 3]."),
    )
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    every_n_weeks = models.PositiveSmallIntegerField(
        _("every n weeks"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
        help_text=_("1 = every week; 2 = every other week, counted from the week of 'valid from'."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length in minutes"), validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    online_capacity = models.PositiveSmallIntegerField(_("parallel online appointments"))
    staff_capacity = models.PositiveSmallIntegerField(
        _("parallel appointments kept for staff and phone"), default=0
    )
    emergency_capacity = models.PositiveSmallIntegerField(
        _("parallel appointments kept for emergencies"), default=0
    )
    open_on_holidays = models.BooleanField(
        _("also on public holidays"),
        default=False,
        help_text=_("Only for special opening days; holidays are closed otherwise."),
    )

    class Meta:
        ordering = ["location", "valid_from", "start_time"]
        verbose_name = _("opening rule")
        verbose_name_plural = _("opening rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="opening_rule_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_from__lte=F("valid_until")),
                name="opening_rule_valid_period",
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5), name="opening_rule_slot_minutes_min"
            ),
            models.CheckConstraint(
                condition=Q(every_n_weeks__gte=1), name="opening_rule_every_n_weeks_min"
            ),
        ]

    def __str__(self):
        days = ", ".join(str(WEEKDAY_NAMES[day]) for day in sorted(self.weekdays or []))
        return f"{self.location.slug}: {days} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self):
        if self.start_time and self.end_time and self.start_time >= self.end_time:
            raise ValidationError({"end_time": _("The end must be after the start.")})
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end must not be before the start.")})
        if not (self.online_capacity or self.staff_capacity or self.emergency_capacity):
            raise ValidationError(_("At least one channel needs capacity."))

    def capacity_of(self, channel: str) -> int:
        return {
            Channel.ONLINE: self.online_capacity,
            Channel.STAFF: self.staff_capacity,
            Channel.EMERGENCY: self.emergency_capacity,
        }[channel]


class Closure(models.Model):
    """Days a location (or all locations) takes no appointments: works meeting, move, …"""

    location = models.ForeignKey(
        "catalog.Location",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("location"),
        help_text=_("Empty: every location."),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")), name="closure_period_ordered"
            )
        ]

    def __str__(self):
        return f"{self.starts_on}–{self.ends_on}: {self.reason}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day must not be before the first.")})


class BookingPolicy(models.Model):
    """How far ahead and how short-notice a location can be booked online."""

    location = models.OneToOneField(
        "catalog.Location",
        on_delete=models.CASCADE,
        related_name="booking_policy",
        verbose_name=_("location"),
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("bookable days ahead"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    min_lead_hours = models.PositiveSmallIntegerField(
        _("earliest booking before the appointment, in hours"),
        default=2,
        validators=[MaxValueValidator(24 * 14)],
    )

    class Meta:
        verbose_name = _("booking policy")
        verbose_name_plural = _("booking policies")

    def __str__(self):
        return f"{self.location.slug}: {self.horizon_days} d"


class ReleaseStage(models.Model):
    """A share of a new day's online capacity released at a time of day (contingents).

    A day becomes bookable ``horizon_days`` before it, in stages, so that nobody
    wins everything by being first at one instant. Shares per location add up to 100.
    """

    location = models.ForeignKey(
        "catalog.Location",
        on_delete=models.CASCADE,
        related_name="release_stages",
        verbose_name=_("location"),
    )
    release_time = models.TimeField(_("released at"))
    share_percent = models.PositiveSmallIntegerField(
        _("share in percent"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["location", "release_time"]
        verbose_name = _("release stage")
        verbose_name_plural = _("release stages")
        constraints = [
            models.UniqueConstraint(
                fields=["location", "release_time"], name="release_stage_unique_time"
            ),
            models.CheckConstraint(
                condition=Q(share_percent__gte=1) & Q(share_percent__lte=100),
                name="release_stage_share_range",
            ),
        ]

    def __str__(self):
        return f"{self.location.slug}: {self.share_percent} % {self.release_time:%H:%M}"


# Used when a location has no stages of its own.
DEFAULT_RELEASE_STAGES = ((time(7, 0), 50), (time(14, 0), 50))


class ServiceBookingRule(models.Model):
    """Booking specifics of a service: cap on its length, personal data it needs."""

    service = models.OneToOneField(
        "catalog.Service",
        on_delete=models.CASCADE,
        related_name="booking_rule",
        verbose_name=_("service"),
    )
    max_minutes = models.PositiveSmallIntegerField(
        _("longest appointment in minutes"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
        help_text=_("Caps minutes per person × persons, e.g. for families. Empty: no cap."),
    )
    asks_birth_date = models.BooleanField(_("asks for the date of birth"), default=False)
    asks_nationality = models.BooleanField(_("asks for the nationality"), default=False)

    class Meta:
        verbose_name = _("booking rule of a service")
        verbose_name_plural = _("booking rules of services")

    def __str__(self):
        return str(self.service)


class SlotQuerySet(models.QuerySet):
    def released(self, now):
        return self.filter(released_at__lte=now)

    def with_room(self):
        return self.filter(booked__lt=F("capacity"))


class Slot(models.Model):
    """Capacity of one time step at a location for one channel and release stage."""

    location = models.ForeignKey("catalog.Location", on_delete=models.CASCADE, related_name="slots")
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="slots"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    stage = models.PositiveSmallIntegerField(default=0)
    released_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField()
    booked = models.PositiveSmallIntegerField(default=0)

    objects = SlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "stage"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(booked__gte=0) & Q(booked__lte=F("capacity")),
                name="slot_booked_within_capacity",
            ),
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="slot_ordered"),
            # Two constraints, because NULL teams are distinct in a plain unique index.
            models.UniqueConstraint(
                fields=["location", "team", "channel", "starts_at", "stage"],
                condition=Q(team__isnull=False),
                name="slot_unique_team",
            ),
            models.UniqueConstraint(
                fields=["location", "channel", "starts_at", "stage"],
                condition=Q(team__isnull=True),
                name="slot_unique_general",
            ),
        ]
        indexes = [
            models.Index(fields=["location", "channel", "team", "starts_at"], name="slot_search"),
        ]

    def __str__(self):
        return f"{self.location_id} {self.channel} {self.starts_at:%Y-%m-%d %H:%M} #{self.stage}"
