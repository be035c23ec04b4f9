from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from willkommen.core import clock
from willkommen.core.admin_site import admin_site
from willkommen.core.i18n import SOURCE_LANGUAGE, TranslatedTextField
from willkommen.core.models import OutboxMail
from willkommen.core.translations import missing_languages


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for inspection only: these rows change through their app's services
    (state machines, capacity, history), never by hand in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _translated_names(model) -> list[str]:
    return [f.name for f in model._meta.get_fields() if isinstance(f, TranslatedTextField)]


def languages_missing_in(obj, related: tuple[str, ...] = ()) -> list[str]:
    """The offered languages any text of ``obj`` (and of its ``related`` rows) lacks."""
    rows = [obj] + [row for name in related for row in getattr(obj, name).all()]
    missing = set()
    for row in rows:
        for name in _translated_names(type(row)):
            missing.update(missing_languages(getattr(row, name)))
    return [code for code, _name in settings.LANGUAGES if code in missing]


class MissingLanguageFilter(admin.SimpleListFilter):
    """Rows with a text lacking the chosen language (or any language)."""

    title = _("missing languages")
    parameter_name = "missing_language"

    def lookups(self, request, model_admin):
        others = [(code, name) for code, name in settings.LANGUAGES if code != SOURCE_LANGUAGE]
        return [("any", _("any language")), *others]

    def queryset(self, request, queryset):
        wanted = self.value()
        if not wanted:
            return None
        related = getattr(self, "related", ())
        # In Python, not SQL: a catalogue has hundreds of rows, and JSON key lookups
        # differ between SQLite and PostgreSQL.
        keep = [
            obj.pk
            for obj in queryset.prefetch_related(*related)
            if (missing := languages_missing_in(obj, related))
            and (wanted == "any" or wanted in missing)
        ]
        return queryset.filter(pk__in=keep)


class TranslationStatusAdmin(admin.ModelAdmin):
    """An admin of translated texts: a "missing languages" column and list filter.

    ``translated_related`` names reverse relations edited inline (a service's
    checklist, a case type's statuses) whose texts count for the row too.
    """

    translated_related: tuple[str, ...] = ()

    def get_list_display(self, request):
        return (*super().get_list_display(request), "missing_languages")

    def get_list_filter(self, request):
        related = self.translated_related
        bound = type("BoundMissingLanguageFilter", (MissingLanguageFilter,), {"related": related})
        return (*super().get_list_filter(request), bound)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(*self.translated_related)

    @admin.display(description=_("missing languages"))
    def missing_languages(self, obj):
        return ", ".join(languages_missing_in(obj, self.translated_related)) or "–"


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxMail, site=admin_site)
class OutboxMailAdmin(admin.ModelAdmin):
    """Read-only: mails are written by the use cases, not by hand."""

    list_display = (
        "created_at",
        "to",
        "subject",
        "language",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("status", "language")
    search_fields = ("to", "subject", "dedupe_key")
    readonly_fields = [f.name for f in OutboxMail._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry now"))
    def retry_now(self, request, queryset):
        count = queryset.filter(status=OutboxMail.Status.PENDING).update(
            next_attempt_at=clock.now()
        )
        messages.info(
            request, _("%(count)d mail(s) will be sent with the next sweep.") % {"count": count}
        )
