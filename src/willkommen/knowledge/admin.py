"""Articles in the admin for inspection: edits go through the staff pages, so that
every change is a version with its author."""

from django.contrib import admin

from willkommen.core.admin import ReadOnlyAdmin, ReadOnlyInline
from willkommen.core.admin_site import admin_site
from willkommen.knowledge.models import Article, ArticleEvent, ArticleVersion


class ArticleVersionInline(ReadOnlyInline):
    model = ArticleVersion
    fields = ("number", "title", "author", "created_at", "note")
    readonly_fields = fields


@admin.register(Article, site=admin_site)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "status", "owner", "review_on", "version", "is_demo")
    list_filter = ("kind", "status", "is_demo")
    search_fields = ("title", "paragraph", "statute")
    inlines = [ArticleVersionInline]


@admin.register(ArticleEvent, site=admin_site)
class ArticleEventAdmin(ReadOnlyAdmin):
    list_display = ("article", "action", "from_status", "to_status", "actor", "at")
