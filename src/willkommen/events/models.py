"""Webhook subscribers and the deliveries owed to them (CloudEvents, see publishing.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    """The CloudEvents ``type`` of each recorded transition we publish."""

    APPOINTMENT = "de.willkommen.appointment.status_changed", _("appointment status changed")
    EMERGENCY_REQUEST = (
        "de.willkommen.emergency_request.status_changed",
        _("emergency request status changed"),
    )
    VISIT = "de.willkommen.visit.status_changed", _("visit status changed")
    CASE = "de.willkommen.case.status_changed", _("case status changed")


class SubscriberQuerySet(models.QuerySet):
    def wanting(self, event_type: str):
        """Active subscribers that asked for ``event_type`` (no types listed: all of them)."""
        return [s for s in self.filter(active=True) if s.wants(event_type)]


class Subscriber(models.Model):
    """Another system (a Fachverfahren, a data warehouse) that follows our transitions."""

    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("URL"), max_length=500, help_text=_("Events are POSTed here."))
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        help_text=_("Shared with the receiver; it checks the HMAC-SHA256 signature with it."),
    )
    event_types = models.JSONField(
        _("event types"),
        default=list,
        blank=True,
        help_text=_("The types to send; none selected means all."),
    )
    personal_data = models.BooleanField(
        _("may receive personal data"),
        default=False,
        help_text=_(
            "Names, contact details, references and staff notes are only sent to a "
            "subscriber with a legal basis for them."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook subscriber")
        verbose_name_plural = _("webhook subscribers")

    def __str__(self):
        return self.name

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class DeliveryQuerySet(models.QuerySet):
    def due(self, now):
        """Pending and due, or claimed by a worker whose lease ran out (it died)."""
        pending = models.Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        abandoned = models.Q(status=Delivery.Status.SENDING, lease_until__lt=now)
        return self.filter(pending | abandoned)

    def undelivered(self):
        return self.exclude(status=Delivery.Status.DELIVERED)


class Delivery(models.Model):
    """One event owed to one subscriber, stored in the transaction of the change.

    ``body`` is the CloudEvent exactly as it is sent, every time: a retry sends the
    same bytes with the same event id (ARCHITECTURE invariant 4).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        DELIVERED = "delivered", _("delivered")

    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscriber"),
    )
    event_id = models.CharField(_("event id"), max_length=100)
    event_type = models.CharField(_("event type"), max_length=100, choices=EventType.choices)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("queued at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    lease_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            # One event reaches one subscriber once: publishing the same transition again
            # (a retried transaction) cannot queue it twice.
            models.UniqueConstraint(fields=["subscriber", "event_id"], name="delivery_once")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self):
        return f"{self.event_id} → {self.subscriber_id}"
