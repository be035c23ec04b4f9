"""Answer templates are staff's to edit here. Complaints themselves are not in the admin:
they are read on their staff pages only, where every read is logged."""

from django.contrib import admin

from willkommen.complaints.models import AnswerTemplate
from willkommen.core.admin_site import admin_site


@admin.register(AnswerTemplate, site=admin_site)
class AnswerTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "category", "is_active")
    list_filter = ("kind", "category", "is_active")
    search_fields = ("title",)
