"""The expiry register's records: invitations sent, pauses, online extension applications.

Each row names the permit it is about by the expiry date the case carried when the
row was written (``permit_expires_on``): a new permit (a new expiry date) starts a
new round of invitations and allows a new application.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    """Einladung: one mail at one lead time before a permit expires."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="invitations")
    permit_expires_on = models.DateField(_("permit expires on"))
    lead_weeks = models.PositiveSmallIntegerField(_("weeks before expiry"))
    sent_at = models.DateTimeField(_("sent at"), db_index=True)
    mail = models.ForeignKey(
        "core.OutboxMail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "-sent_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # At most once per permit and lead time, whatever two sweeps do at once.
            models.UniqueConstraint(
                fields=["case", "permit_expires_on", "lead_weeks"], name="invitation_once"
            )
        ]

    def __str__(self):
        return f"{self.case_id}: {self.lead_weeks} weeks before {self.permit_expires_on}"


class InvitationPause(models.Model):
    """Staff stopped the invitations for a person (e.g. a case in litigation)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="invitation_pauses"
    )
    reason = models.CharField(_("reason"), max_length=300)
    paused_at = models.DateTimeField(_("paused at"))
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Lifting keeps the row, so the register can still tell why invitations stopped.
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case", "-paused_at"]
        verbose_name = _("invitation pause")
        verbose_name_plural = _("invitation pauses")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(lifted_at__isnull=True), name="one_active_pause"
            )
        ]

    def __str__(self):
        return f"{self.case_id}: {self.reason}"


class ExtensionApplication(models.Model):
    """An online application to extend a permit, with its written receipt.

    ``case`` is the record the invitation was about; ``opened_case`` the case the
    application opened for the extension service (where the office works on it).
    """

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="extension_applications"
    )
    permit_expires_on = models.DateField(_("permit expires on"))
    opened_case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="opened_by_extension"
    )
    applied_at = models.DateTimeField(_("applied at"), db_index=True)
    before_expiry = models.BooleanField(_("applied before expiry"))
    address_change = models.TextField(_("new address"), blank=True, max_length=500)
    employment_change = models.TextField(_("change of employment"), blank=True, max_length=500)
    verification_code = models.CharField(_("verification code"), max_length=20, unique=True)
    initials = models.CharField(_("initials"), max_length=12)
    receipt_pdf = models.BinaryField()
    receipt_mail = models.ForeignKey(
        "core.OutboxMail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-applied_at"]
        verbose_name = _("online extension application")
        verbose_name_plural = _("online extension applications")
        constraints = [
            # One application per permit: the second one is refused by the database too.
            models.UniqueConstraint(
                fields=["case", "permit_expires_on"], name="extension_once_per_permit"
            )
        ]

    def __str__(self):
        return f"{self.opened_case_id} ({self.applied_at:%Y-%m-%d})"
