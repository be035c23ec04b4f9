"""Knowledge-base articles for staff: legal bases, internal instructions, process guides.

An ``Article`` holds its current text; every edit appends an ``ArticleVersion``
(append-only: author, time and the whole text as it then stood), so the history of
what the office told its staff stays and two versions can be compared. Each move
between states (``states.py``) appends an ``ArticleEvent``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from willkommen.core.models import AppendOnlyModel


class ArticleKind(models.TextChoices):
    LEGAL_BASIS = "legal_basis", _("Legal basis")
    INSTRUCTION = "instruction", _("Internal instruction")
    PROCESS_GUIDE = "process_guide", _("Process guide")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class ArticleAction(models.TextChoices):
    CREATE = "create", _("create")
    PUBLISH = "publish", _("publish")
    WITHDRAW = "withdraw", _("withdraw to draft")
    ARCHIVE = "archive", _("archive")
    RESTORE = "restore", _("restore as draft")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ArticleStatus.PUBLISHED)

    def review_due(self, today):
        """Not archived and past the review date (computed on read: no sweep needed)."""
        return self.exclude(status=ArticleStatus.ARCHIVED).filter(review_on__lt=today)


class ArticleText(models.Model):
    """What an article says and who answers for it: the current text and every version."""

    kind = models.CharField(_("kind"), max_length=20, choices=ArticleKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    statute = models.CharField(
        _("statute"), max_length=40, blank=True, help_text=_("e.g. AufenthG")
    )
    paragraph = models.CharField(
        _("paragraph"), max_length=40, blank=True, help_text=_("e.g. § 81 Abs. 4")
    )
    link = models.URLField(_("link to the source"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    review_on = models.DateField(_("review by"))

    class Meta:
        abstract = True

    @property
    def source(self) -> str:
        """``§ 81 Abs. 4 AufenthG``: the paragraph and statute as they are cited."""
        return " ".join(part for part in (self.paragraph, self.statute) if part)


class Article(ArticleText):
    """The current state of one article; its texts are a copy of the latest version."""

    status = models.CharField(
        _("state"), max_length=12, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    services = models.ManyToManyField(
        "catalog.Service", blank=True, related_name="articles", verbose_name=_("services")
    )
    case_types = models.ManyToManyField(
        "cases.CaseType", blank=True, related_name="articles", verbose_name=_("case types")
    )
    checklist_items = models.ManyToManyField(
        "catalog.ChecklistItem",
        blank=True,
        related_name="articles",
        verbose_name=_("checklist items"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("last changed"))

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        indexes = [models.Index(fields=["status", "review_on"], name="article_status_review")]

    def __str__(self):
        return self.title


class ArticleVersion(AppendOnlyModel, ArticleText):
    """One edit of an article: everything it said then, who wrote it and when."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="versions", verbose_name=_("article")
    )
    number = models.PositiveIntegerField(_("version"))
    # The links as their names read at the time, so a diff shows them even after a
    # service or checklist item is renamed or removed.
    links = models.JSONField(_("links"), default=dict)
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("written"))

    class Meta:
        ordering = ["article", "-number"]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_version_unique")
        ]

    def __str__(self):
        return f"{self.article_id} v{self.number}"


class ArticleEvent(AppendOnlyModel):
    """A move of an article between states, with its actor and time."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="events", verbose_name=_("article")
    )
    action = models.CharField(_("action"), max_length=12, choices=ArticleAction.choices)
    from_status = models.CharField(
        _("from"), max_length=12, choices=ArticleStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=ArticleStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["article", "at", "pk"]
        verbose_name = _("article event")
        verbose_name_plural = _("article events")
