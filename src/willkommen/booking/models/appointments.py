"""Appointments (Termine), their append-only history, and the slots they occupy."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from willkommen.booking.models.capacity import Channel
from willkommen.booking.models.events import Event
from willkommen.booking.states import ACTIVE, Action, Status

# No 0/O, 1/I/L, U (misread or misheard at a counter); 30 signs, 6 places: 729 million.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_PREFIX = "T-"


def new_reference() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


class AppointmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE)

    def occupying(self):
        """Appointments that stand in the day plan (held, confirmed, or already there)."""
        return self.exclude(status__in=[Status.CANCELLED, Status.EXPIRED])

    def between(self, start, end):
        return self.filter(starts_at__gte=start, starts_at__lt=end)


class Appointment(models.Model):
    """Termin: a booked time at a location for one or more persons."""

    reference = models.CharField(
        _("booking reference"), max_length=8, unique=True, default=new_reference, editable=False
    )
    location = models.ForeignKey(
        "catalog.Location",
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("location"),
    )
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("service"),
    )
    # The team whose capacity it takes (None: the location's general capacity).
    capacity_team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("capacity of team"),
    )
    persons = models.PositiveSmallIntegerField(_("persons"))
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, editable=False, db_index=True
    )
    channel = models.CharField(_("booked via"), max_length=10, choices=Channel.choices)
    applicant_name = models.CharField(_("name"), max_length=150)
    applicant_email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=40, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=80, blank=True)
    language = models.CharField(_("language"), max_length=8, default="de")
    checklist_answers = models.JSONField(_("answers to the checklist questions"), default=dict)
    # HMAC of the normalised name + date of birth or e-mail: one active appointment
    # per person and service, without keeping a second copy of personal data.
    person_key = models.CharField(max_length=64, editable=False)
    hold_expires_at = models.DateTimeField(_("held until"), null=True, blank=True)
    # Raised whenever the links in earlier mails must stop working (rebook, cancel).
    link_version = models.PositiveIntegerField(default=1, editable=False)
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("clerk"),
    )
    staff_note = models.TextField(_("note for staff"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    reminder_queued_at = models.DateTimeField(_("reminder queued at"), null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "person_key"],
                condition=Q(status__in=sorted(ACTIVE)),
                name="appointment_one_active_per_person_and_service",
            ),
            models.CheckConstraint(condition=Q(persons__gte=1), name="appointment_persons_min"),
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="appointment_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="appointment_status_known"
            ),
        ]
        indexes = [
            models.Index(fields=["location", "starts_at"], name="appointment_day_plan"),
            models.Index(fields=["status", "hold_expires_at"], name="appointment_hold_expiry"),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


class AppointmentEvent(Event):
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="events", verbose_name=_("appointment")
    )
    # Where the appointment stands after the event (records moves by rebooking).
    starts_at = models.DateTimeField(_("appointment time"))

    class Meta(Event.Meta):
        verbose_name = _("appointment event")
        verbose_name_plural = _("appointment events")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=Action.values), name="appointment_event_action_known"
            )
        ]

    def __str__(self):
        return f"{self.appointment_id}: {self.from_status or '–'} → {self.to_status}"


class SlotBookingQuerySet(models.QuerySet):
    def held(self):
        return self.filter(returned_at__isnull=True)

    def due_to_return(self, now):
        return self.filter(returned_at__isnull=True, returns_at__lte=now)


class SlotBooking(models.Model):
    """One unit of one slot taken by an appointment, until it is given back.

    Cancelled capacity is given back at ``returns_at`` (a delay against slot
    trading); ``returned_at`` records that ``Slot.booked`` was lowered again.
    """

    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="slot_bookings"
    )
    slot = models.ForeignKey("booking.Slot", on_delete=models.PROTECT, related_name="bookings")
    returns_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    objects = SlotBookingQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["returned_at", "returns_at"], name="slot_booking_return")]

    def __str__(self):
        return f"{self.appointment_id} @ {self.slot_id}"


class PreparationTask(models.Model):
    """Vorarbeit: something staff must do before the appointment."""

    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.CASCADE,
        related_name="preparation_tasks",
        verbose_name=_("appointment"),
    )
    title = models.CharField(_("task"), max_length=200)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("preparation task")
        verbose_name_plural = _("preparation tasks")

    def __str__(self):
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
