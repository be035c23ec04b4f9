"""Subscribers are configured by the admin role (the admin site's access rule);
deliveries are shown for inspection and can be retried."""

import secrets

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from willkommen.core import clock
from willkommen.core.admin_site import admin_site
from willkommen.events.models import Delivery, EventType, Subscriber


class SubscriberForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Events are POSTed here."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("event types"),
        choices=EventType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The types to send; none selected means all."),
    )

    class Meta:
        model = Subscriber
        fields = ["name", "url", "secret", "event_types", "personal_data", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            # A strong secret to start with; the admin hands it to the receiver's operator.
            self.initial.setdefault("secret", secrets.token_urlsafe(32))

    def clean_secret(self):
        secret = self.cleaned_data["secret"].strip()
        if len(secret) < 16:
            raise forms.ValidationError(_("The secret must be at least 16 characters long."))
        return secret


@admin.register(Subscriber, site=admin_site)
class SubscriberAdmin(admin.ModelAdmin):
    form = SubscriberForm
    list_display = ("name", "url", "active", "personal_data", "types", "backlog")
    list_filter = ("active", "personal_data")
    search_fields = ("name", "url")

    @admin.display(description=_("event types"))
    def types(self, obj):
        return ", ".join(obj.event_types) if obj.event_types else _("all")

    @admin.display(description=_("not yet delivered"))
    def backlog(self, obj):
        return obj.deliveries.undelivered().count()


@admin.register(Delivery, site=admin_site)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: deliveries are written with the transitions they announce."""

    list_display = (
        "created_at",
        "event_type",
        "event_id",
        "subscriber",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("status", "event_type", "subscriber")
    search_fields = ("event_id",)
    readonly_fields = [f.name for f in Delivery._meta.fields]
    list_select_related = ("subscriber",)
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry now"))
    def retry_now(self, request, queryset):
        count = queryset.filter(status=Delivery.Status.PENDING).update(next_attempt_at=clock.now())
        messages.info(
            request, _("%(count)d event(s) will be sent with the next sweep.") % {"count": count}
        )
