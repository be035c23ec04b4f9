"""Emergency requests (Notfalltermin): triaged by staff, served from the protected quota."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from willkommen.booking.models.events import Event
from willkommen.booking.states import RequestAction, RequestStatus


class EmergencyReason(models.TextChoices):
    PERMIT_EXPIRES_SOON = "expires_soon", _("My residence permit expires within 14 days")
    PERMIT_EXPIRED = "expired", _("My residence permit has already expired")
    JOB_STARTS = "job_starts", _("I start a new job and need the permit for it")
    MEDICAL = "medical", _("Medical emergency")
    DEATH_IN_FAMILY = "death", _("I must travel because of a death in the family")
    SMALL_CHILDREN = "children", _("Family with small children")
    ELDERLY_OR_SICK = "elderly_sick", _("Elderly or sick person")


# Reasons for which the current permit's expiry date is needed to judge urgency.
REASONS_WITH_EXPIRY = frozenset(
    {EmergencyReason.PERMIT_EXPIRES_SOON, EmergencyReason.PERMIT_EXPIRED}
)


def emergency_upload_path(instance, filename):
    # Never the applicant's file name in the path: it may carry personal data.
    import uuid
    from pathlib import Path

    suffix = Path(filename).suffix.lower()[:8]
    return f"booking/emergency/{uuid.uuid4().hex}{suffix}"


class EmergencyRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=RequestStatus.OPEN)

    def by_need(self):
        """Earliest need first: permits that expire (or expired) earliest, then oldest request."""
        return self.order_by(models.F("permit_expires_on").asc(nulls_last=True), "created_at")


class EmergencyRequest(models.Model):
    location = models.ForeignKey(
        "catalog.Location",
        on_delete=models.PROTECT,
        related_name="emergency_requests",
        verbose_name=_("location"),
    )
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.PROTECT,
        related_name="emergency_requests",
        verbose_name=_("service"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=EmergencyReason.choices)
    permit_expires_on = models.DateField(_("current permit valid until"), null=True, blank=True)
    applicant_name = models.CharField(_("name"), max_length=150)
    applicant_email = models.EmailField(_("e-mail"), max_length=254)
    applicant_phone = models.CharField(_("phone"), max_length=40, blank=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    attachment = models.FileField(
        _("document"), upload_to=emergency_upload_path, blank=True, max_length=200
    )
    language = models.CharField(_("language"), max_length=8, default="de")
    persons = models.PositiveSmallIntegerField(_("persons"), default=1)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.OPEN,
        editable=False,
    )
    created_at = models.DateTimeField(_("received at"), db_index=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    rejection_reason = models.TextField(_("reason for the rejection"), blank=True)
    appointment = models.OneToOneField(
        "booking.Appointment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emergency_request",
        verbose_name=_("appointment"),
    )

    objects = EmergencyRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("emergency request")
        verbose_name_plural = _("emergency requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.ACCEPTED) | Q(appointment__isnull=False),
                name="emergency_accepted_has_appointment",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.REJECTED) | ~Q(rejection_reason=""),
                name="emergency_rejected_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.created_at:%Y-%m-%d})"


class RequestEvent(Event):
    request = models.ForeignKey(EmergencyRequest, on_delete=models.PROTECT, related_name="events")

    class Meta(Event.Meta):
        verbose_name = _("emergency request event")
        verbose_name_plural = _("emergency request events")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=RequestAction.values), name="request_event_action_known"
            )
        ]
