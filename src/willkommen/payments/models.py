"""Payments (Zahlung) of the fees cases and visits owe, online or at the counter.

Every amount is in cents. A payment's state changes only through
``services`` along ``states.TABLE``, each change a ``PaymentEvent``; refunds and
the providers' odd answers are append-only entries of their own, never deleted.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.core.models import AppendOnlyModel
from willkommen.payments.states import Action, Status


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    CASH = "cash", _("cash")
    CARD = "card", _("card")


COUNTER_CHANNELS = (Channel.CASH, Channel.CARD)


class PaymentQuerySet(models.QuerySet):
    def paid(self):
        return self.filter(status=Status.PAYED)


class Payment(models.Model):
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("case"),
    )
    visit = models.ForeignKey(
        "frontdesk.Visit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("visit"),
    )
    fee = models.ForeignKey(
        "catalog.Fee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("fee"),
    )
    amount_cents = models.PositiveIntegerField(_("amount in cents"))
    purpose = models.CharField(_("purpose"), max_length=27)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # Online: our request id (≤ 36, XBezahldienste's limit) makes starting idempotent.
    request_id = models.CharField(_("request id"), max_length=36, unique=True)
    provider = models.CharField(_("payment provider"), max_length=20, blank=True)
    provider_reference = models.CharField(_("provider's reference"), max_length=100, blank=True)
    payment_url = models.URLField(_("payment page"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8, default="de")
    # Counter: the receipt number on the slip the applicant takes home.
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    counter = models.ForeignKey(
        "catalog.Counter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("counter"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"))
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(visit__isnull=False),
                name="payment_for_case_or_visit",
            ),
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="payment_positive"),
            models.UniqueConstraint(
                fields=["counter", "receipt_number"],
                condition=~models.Q(receipt_number=""),
                name="payment_receipt_unique_per_counter",
            ),
        ]
        indexes = [models.Index(fields=["counter", "settled_at"], name="payment_cash_report_idx")]

    def __str__(self):
        return f"{self.request_id}: {self.amount_cents} ct {self.status}"


class PaymentEvent(AppendOnlyModel):
    """One change of a payment's state, with who or what caused it."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=40, help_text=_("e.g. return, notification"))

    class Meta:
        ordering = ["payment", "at", "id"]
        verbose_name = _("payment event")
        verbose_name_plural = _("payment events")

    def __str__(self):
        return f"{self.payment_id}: {self.from_status or '–'} → {self.to_status}"


class Refund(AppendOnlyModel):
    """Money given back on a paid payment: recorded, never deleted, never above what was paid."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_cents = models.PositiveIntegerField(_("amount in cents"))
    reason = models.CharField(_("reason"), max_length=300)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    counter = models.ForeignKey(
        "catalog.Counter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["payment", "recorded_at", "id"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="refund_positive")
        ]

    def __str__(self):
        return f"{self.payment_id}: −{self.amount_cents} ct"


class ProviderNotice(AppendOnlyModel):
    """Something a payment provider sent that we did not act on, kept for staff to see."""

    class Kind(models.TextChoices):
        UNKNOWN_REQUEST = "unknown_request", _("notification for an unknown payment")
        UNKNOWN_STATE = "unknown_state", _("unknown payment state")
        PROVIDER_ERROR = "provider_error", _("payment provider not reachable or in error")
        FORGED = "forged", _("notification with a wrong signature")
        REPEATED = "repeated", _("repeated return or notification")

    at = models.DateTimeField(_("at"))
    provider = models.CharField(_("payment provider"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    request_id = models.CharField(_("request id"), max_length=100, blank=True)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("payment provider notice")
        verbose_name_plural = _("payment provider notices")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.provider}: {self.kind}"
