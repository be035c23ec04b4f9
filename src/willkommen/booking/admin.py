"""Admin: rules and policies are master data; appointments and slots change via services."""

from django.contrib import admin

from willkommen.booking.models import (
    Appointment,
    AppointmentEvent,
    BookingPolicy,
    Closure,
    EmergencyRequest,
    OpeningRule,
    ReleaseStage,
    RequestEvent,
    RequestWindow,
    ServiceBookingRule,
    Slot,
    WindowRegistration,
)
from willkommen.core.admin import ReadOnlyAdmin, ReadOnlyInline
from willkommen.core.admin_site import admin_site


class RematerialisingAdmin(admin.ModelAdmin):
    """Capacity master data: after a change, the slots of the location follow at once."""

    def _rematerialise(self, obj):
        from willkommen.booking import services
        from willkommen.catalog.models import Location

        location_id = getattr(obj, "location_id", None)
        locations = (
            Location.objects.filter(pk=location_id) if location_id else Location.objects.active()
        )
        for location in locations:
            services.materialise_slots(location)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._rematerialise(obj)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._rematerialise(obj)


@admin.register(OpeningRule, site=admin_site)
class OpeningRuleAdmin(RematerialisingAdmin):
    list_display = (
        "__str__",
        "team",
        "valid_from",
        "valid_until",
        "slot_minutes",
        "online_capacity",
        "staff_capacity",
        "emergency_capacity",
    )
    list_filter = ("location", "team")


@admin.register(Closure, site=admin_site)
class ClosureAdmin(RematerialisingAdmin):
    list_display = ("__str__", "location", "starts_on", "ends_on")
    list_filter = ("location",)


@admin.register(BookingPolicy, site=admin_site)
class BookingPolicyAdmin(RematerialisingAdmin):
    list_display = ("__str__", "horizon_days", "min_lead_hours")


@admin.register(ReleaseStage, site=admin_site)
class ReleaseStageAdmin(RematerialisingAdmin):
    list_display = ("__str__", "location", "release_time", "share_percent")
    list_filter = ("location",)


@admin.register(ServiceBookingRule, site=admin_site)
class ServiceBookingRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "max_minutes", "asks_birth_date", "asks_nationality")


@admin.register(Slot, site=admin_site)
class SlotAdmin(ReadOnlyAdmin):
    list_display = ("starts_at", "location", "team", "channel", "stage", "capacity", "booked")
    list_filter = ("location", "channel")
    date_hierarchy = "starts_at"


class AppointmentEventInline(ReadOnlyInline):
    model = AppointmentEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "starts_at", "note")
    readonly_fields = fields


@admin.register(Appointment, site=admin_site)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "starts_at", "location", "service", "persons", "status", "channel")
    list_filter = ("status", "channel", "location")
    search_fields = ("reference", "applicant_name", "applicant_email")
    date_hierarchy = "starts_at"
    inlines = [AppointmentEventInline]


class RequestEventInline(ReadOnlyInline):
    model = RequestEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "note")
    readonly_fields = fields


@admin.register(EmergencyRequest, site=admin_site)
class EmergencyRequestAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "location", "status", "permit_expires_on", "created_at")
    list_filter = ("status", "reason", "location")
    inlines = [RequestEventInline]


class WindowRegistrationInline(ReadOnlyInline):
    model = WindowRegistration
    fields = ("created_at", "applicant_name", "applicant_email", "permit_expires_on", "appointment")
    readonly_fields = fields


@admin.register(RequestWindow, site=admin_site)
class RequestWindowAdmin(admin.ModelAdmin):
    list_display = ("__str__", "location", "opens_at", "closes_at", "rule", "allocated_at")
    list_filter = ("location", "rule")
    inlines = [WindowRegistrationInline]
