"""Admin for the case file's configuration: case types with their statuses, routing, topics.

Cases themselves are not in the admin: every read of a case file must be logged
and permission-checked, which the staff pages do and the admin would not.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from willkommen.cases.models import (
    CaseType,
    ContactTopic,
    RoutingRule,
    StatusType,
    validate_status_order,
)
from willkommen.core.admin import TranslationStatusAdmin
from willkommen.core.admin_site import admin_site


class StatusTypeFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form.instance
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            validate_status_order(kept)
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class StatusTypeInline(admin.StackedInline):
    model = StatusType
    formset = StatusTypeFormSet
    extra = 0
    fields = (
        ("position", "code", "phase"),
        "internal_name",
        "applicant_text",
        ("notify_applicant", "target_days", "skippable", "allows_return"),
    )


@admin.register(CaseType, site=admin_site)
class CaseTypeAdmin(TranslationStatusAdmin):
    translated_related = ("statuses",)
    list_display = ("__str__", "norm_days", "retention_days", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("service",)
    inlines = [StatusTypeInline]


@admin.register(RoutingRule, site=admin_site)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("service", "urgency", "difficulty", "team")
    list_filter = ("team", "urgency", "difficulty")
    list_select_related = ("service", "team")


@admin.register(ContactTopic, site=admin_site)
class ContactTopicAdmin(TranslationStatusAdmin):
    list_display = ("__str__", "slug", "team", "position")
    list_select_related = ("team",)
