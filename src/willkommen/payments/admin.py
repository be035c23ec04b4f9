from django.contrib import admin

from willkommen.core.admin import ReadOnlyAdmin, ReadOnlyInline
from willkommen.core.admin_site import admin_site
from willkommen.payments.models import Payment, PaymentEvent, ProviderNotice, Refund


class PaymentEventInline(ReadOnlyInline):
    model = PaymentEvent


class RefundInline(ReadOnlyInline):
    model = Refund


@admin.register(Payment, site=admin_site)
class PaymentAdmin(ReadOnlyAdmin):
    """Payments change only through the services; the admin shows them and their history."""

    list_display = (
        "request_id",
        "case",
        "visit",
        "amount_cents",
        "channel",
        "status",
        "created_at",
    )
    list_filter = ("status", "channel", "provider")
    search_fields = ("request_id", "receipt_number", "case__reference", "provider_reference")
    inlines = [PaymentEventInline, RefundInline]


@admin.register(ProviderNotice, site=admin_site)
class ProviderNoticeAdmin(ReadOnlyAdmin):
    list_display = ("at", "provider", "kind", "request_id", "payment")
    list_filter = ("kind", "provider")
