"""Request windows: for scarce services, registration of interest instead of a race.

During the window applicants register; the window's days cannot be booked online.
After it closes, ``services.allocate_window`` gives the free times to the registered
applicants in the order of the window's rule, so that speed gives no advantage.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class AllocationRule(models.TextChoices):
    LOTTERY = "lottery", _("lottery (random order)")
    EARLIEST_EXPIRY = "earliest_expiry", _("earliest permit expiry first, then lottery")


class RequestWindowQuerySet(models.QuerySet):
    def unallocated(self):
        return self.filter(allocated_at__isnull=True)

    def open_at(self, now):
        return self.unallocated().filter(opens_at__lte=now, closes_at__gt=now)


class RequestWindow(models.Model):
    location = models.ForeignKey(
        "catalog.Location",
        on_delete=models.CASCADE,
        related_name="request_windows",
        verbose_name=_("location"),
    )
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.CASCADE,
        related_name="request_windows",
        verbose_name=_("service"),
    )
    opens_at = models.DateTimeField(_("registration opens"))
    closes_at = models.DateTimeField(_("registration closes"))
    first_day = models.DateField(_("first appointment day"))
    last_day = models.DateField(_("last appointment day"))
    rule = models.CharField(
        _("allocation rule"),
        max_length=20,
        choices=AllocationRule.choices,
        default=AllocationRule.LOTTERY,
    )
    allocated_at = models.DateTimeField(_("allocated at"), null=True, blank=True, editable=False)

    objects = RequestWindowQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("request window")
        verbose_name_plural = _("request windows")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("closes_at")), name="request_window_ordered"
            ),
            models.CheckConstraint(
                condition=Q(first_day__lte=F("last_day")), name="request_window_days_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.service} {self.first_day}–{self.last_day}"


class WindowRegistration(models.Model):
    window = models.ForeignKey(
        RequestWindow, on_delete=models.CASCADE, related_name="registrations"
    )
    applicant_name = models.CharField(_("name"), max_length=150)
    applicant_email = models.EmailField(_("e-mail"), max_length=254)
    applicant_phone = models.CharField(_("phone"), max_length=40, blank=True)
    permit_expires_on = models.DateField(_("current permit valid until"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, default="de")
    person_key = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("registered at"))
    appointment = models.OneToOneField(
        "booking.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="window_registration",
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("registration in a request window")
        verbose_name_plural = _("registrations in request windows")
        constraints = [
            models.UniqueConstraint(
                fields=["window", "person_key"], name="window_registration_once_per_person"
            )
        ]

    def __str__(self):
        return f"{self.window_id}: {self.applicant_name}"
