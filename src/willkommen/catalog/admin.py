from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from willkommen.catalog.models import (
    ChecklistCondition,
    ChecklistItem,
    Counter,
    Fee,
    FrequentQuestion,
    Location,
    Service,
    ServiceCategory,
)
from willkommen.core.admin import TranslationStatusAdmin
from willkommen.core.admin_site import admin_site
from willkommen.core.i18n import tr
from willkommen.core.translations import missing_languages


class CounterInline(admin.TabularInline):
    model = Counter
    extra = 0


@admin.register(Location, site=admin_site)
class LocationAdmin(TranslationStatusAdmin):
    list_display = ("__str__", "slug", "city", "state", "is_active")
    inlines = [CounterInline]


class ChecklistItemInline(admin.StackedInline):
    model = ChecklistItem
    extra = 0
    fields = ("position", "title", "explanation", "form", "required", "condition", "applies_when")
    autocomplete_fields = ("condition",)


class FeeInline(admin.TabularInline):
    """A changed ordinance is a new row with a later "valid from", not an edit."""

    model = Fee
    extra = 0
    fields = (
        "code", "position", "label", "legal_basis", "amount_cents", "minor_amount_cents",
        "exemption_note", "valid_from", "source",
    )  # fmt: skip


def _lacking(question: FrequentQuestion) -> str:
    """The languages the question or its answer lacks, for staff to see at a glance."""
    lacking = dict.fromkeys(
        missing_languages(question.question) + missing_languages(question.answer)
    )
    return ", ".join(lacking) or "–"


class FrequentQuestionInline(admin.StackedInline):
    model = FrequentQuestion
    extra = 0
    fields = ("position", "question", "answer", "is_published", "lacking_languages")
    readonly_fields = ("lacking_languages",)

    @admin.display(description=_("languages missing"))
    def lacking_languages(self, obj):
        return _lacking(obj) if obj.pk else "–"


@admin.register(FrequentQuestion, site=admin_site)
class FrequentQuestionAdmin(admin.ModelAdmin):
    list_display = ("question_de", "service", "position", "is_published", "lacking_languages")
    list_filter = ("is_published", "service")
    list_select_related = ("service",)
    search_fields = ("question", "answer", "service__slug")
    autocomplete_fields = ("service",)
    fields = ("service", "position", "question", "answer", "is_published")

    @admin.display(description=_("question"))
    def question_de(self, obj):
        return tr(obj.question, "de")

    @admin.display(description=_("languages missing"))
    def lacking_languages(self, obj):
        return _lacking(obj)


@admin.register(Service, site=admin_site)
class ServiceAdmin(TranslationStatusAdmin):
    translated_related = ("checklist",)
    list_display = (
        "__str__",
        "slug",
        "category",
        "team",
        "duration_minutes",
        "online_bookable",
        "is_active",
    )
    list_filter = (
        "category",
        "team",
        "online_bookable",
        "emergency_eligible",
        "short_matter",
        "is_active",
    )
    search_fields = ("slug", "name", "keywords")
    list_select_related = ("category", "team")
    inlines = [FeeInline, ChecklistItemInline, FrequentQuestionInline]
    fieldsets = (
        (None, {"fields": ("slug", "category", "position", "team", "is_active")}),
        (
            _("Texts"),
            {"fields": ("name", "short_description", "description", "keywords", "legal_basis")},
        ),
        (
            _("Appointment and fee"),
            {"fields": ("duration_minutes", "max_persons", "fee_cents", "fee_note")},
        ),
        (
            _("Properties"),
            {
                "fields": (
                    "online_bookable",
                    "emergency_eligible",
                    "short_matter",
                    "needs_personal_appearance",
                )
            },
        ),
    )


@admin.register(ServiceCategory, site=admin_site)
class ServiceCategoryAdmin(TranslationStatusAdmin):
    list_display = ("__str__", "slug", "position")


@admin.register(ChecklistCondition, site=admin_site)
class ChecklistConditionAdmin(TranslationStatusAdmin):
    list_display = ("key", "question_de")
    search_fields = ("key", "question")

    @admin.display(description=_("question"))
    def question_de(self, obj):
        return tr(obj.question, "de")


@admin.register(Fee, site=admin_site)
class FeeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "service", "amount_cents", "minor_amount_cents", "valid_from")
    list_filter = ("valid_from",)
    list_select_related = ("service",)
    search_fields = ("code", "legal_basis", "service__slug")
    autocomplete_fields = ("service",)
