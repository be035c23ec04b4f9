"""Writes of the knowledge base: one function per use case, each in one transaction.

Every change of an article's content is a new ``ArticleVersion`` (the whole text, its
links by name, the author and the time); every move between states an
``ArticleEvent``. Only editors (team leads, admins) write; the services check it, so
no page or command can forget.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from willkommen.core import clock
from willkommen.core.i18n import SOURCE_LANGUAGE, tr
from willkommen.core.states import TransitionNotAllowed
from willkommen.knowledge import selectors
from willkommen.knowledge.models import Article, ArticleAction, ArticleEvent, ArticleVersion
from willkommen.knowledge.search import HIGHLIGHT_MARKS
from willkommen.knowledge.states import TABLE

CONTENT_FIELDS = ("kind", "title", "body", "statute", "paragraph", "link", "owner", "review_on")


class KnowledgeError(Exception):
    """A write was refused; nothing was changed."""

    code = "knowledge_refused"
    http_status = 400

    def __init__(self, message, code=None, http_status=None):
        self.message = message
        self.code = code or self.code
        self.http_status = http_status or self.http_status
        super().__init__(str(message))


REFUSED = (KnowledgeError, TransitionNotAllowed)


@dataclass
class ArticleContent:
    """What an editor writes: the texts and metadata, and the links."""

    kind: str
    title: str
    body: str
    owner: object
    review_on: object
    statute: str = ""
    paragraph: str = ""
    link: str = ""
    services: list = field(default_factory=list)
    case_types: list = field(default_factory=list)
    checklist_items: list = field(default_factory=list)

    def cleaned(self) -> ArticleContent:
        # The search marks its hits with these two characters before escaping; an
        # article must not contain them, or a hit's highlight could be unbalanced.
        def clean(text):
            for mark in HIGHLIGHT_MARKS:
                text = text.replace(mark, "")
            return text.strip()

        self.title, self.body = clean(self.title), clean(self.body).replace("\r\n", "\n")
        self.statute, self.paragraph = clean(self.statute), clean(self.paragraph)
        return self


def _require_editor(actor) -> None:
    if not selectors.can_edit(actor):
        raise KnowledgeError(
            _("Only team leads and administrators edit the knowledge base."),
            code="not_an_editor",
            http_status=403,
        )


def _link_names(content: ArticleContent) -> dict[str, list[str]]:
    # In German, whatever the editor's language, so two versions compare alike.
    return {
        "services": sorted(tr(service.name, SOURCE_LANGUAGE) for service in content.services),
        "case_types": sorted(tr(kind.service.name, SOURCE_LANGUAGE) for kind in content.case_types),
        "checklist_items": sorted(
            f"{tr(item.service.name, SOURCE_LANGUAGE)}: {tr(item.title, SOURCE_LANGUAGE)}"
            for item in content.checklist_items
        ),
    }


def _append_version(article: Article, content: ArticleContent, actor, note: str) -> None:
    ArticleVersion.objects.create(
        article=article,
        number=article.version,
        **{name: getattr(content, name) for name in CONTENT_FIELDS},
        links=_link_names(content),
        note=note,
        author=actor,
        created_at=article.updated_at,
    )
    article.services.set(content.services)
    article.case_types.set(content.case_types)
    article.checklist_items.set(content.checklist_items)


def create_article(content: ArticleContent, *, actor, is_demo: bool = False) -> Article:
    """A new article, as a draft, with its first version."""
    _require_editor(actor)
    content = content.cleaned()
    now = clock.now()
    with transaction.atomic():
        article = Article.objects.create(
            **{name: getattr(content, name) for name in CONTENT_FIELDS},
            status=TABLE.start(ArticleAction.CREATE),
            version=1,
            is_demo=is_demo,
            created_at=now,
            updated_at=now,
        )
        _append_version(article, content, actor, note=str(_("created")))
        ArticleEvent.objects.create(
            article=article,
            action=ArticleAction.CREATE,
            to_status=article.status,
            actor=actor,
            at=now,
        )
    return article


def _same(article: Article, content: ArticleContent) -> bool:
    if any(getattr(article, name) != getattr(content, name) for name in CONTENT_FIELDS):
        return False
    current = article.versions.get(number=article.version)
    return current.links == _link_names(content)


def edit_article(
    article: Article, content: ArticleContent, *, actor, expected_version: int, note: str = ""
) -> Article:
    """Save an edit as the next version; refused if someone saved in between."""
    _require_editor(actor)
    content = content.cleaned()
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if locked.version != expected_version:
            raise KnowledgeError(
                _(
                    "Someone saved this article in the meantime (now version %(version)s). "
                    "Nothing was changed; please look at the new version first."
                )
                % {"version": locked.version},
                code="stale_version",
                http_status=409,
            )
        if _same(locked, content):
            raise KnowledgeError(_("Nothing was changed."), code="nothing_changed")
        for name in CONTENT_FIELDS:
            setattr(locked, name, getattr(content, name))
        locked.version += 1
        locked.updated_at = clock.now()
        locked.save()
        _append_version(locked, content, actor, note=note.strip())
    return locked


def move_article(article: Article, action: str, *, actor) -> Article:
    """Publish, withdraw, archive or restore: one edge of ``states.TABLE``."""
    _require_editor(actor)
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        target = TABLE.target(locked.status, action)
        now = clock.now()
        ArticleEvent.objects.create(
            article=locked,
            action=action,
            from_status=locked.status,
            to_status=target,
            actor=actor,
            at=now,
        )
        locked.status = target
        locked.updated_at = now
        locked.save(update_fields=["status", "updated_at"])
    return locked
