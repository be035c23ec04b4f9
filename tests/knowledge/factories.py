"""Editors, readers and articles written through the services."""

from datetime import date, timedelta

from tests.accounts.factories import UserFactory
from willkommen.accounts.roles import Role
from willkommen.core import clock
from willkommen.knowledge import services
from willkommen.knowledge.models import ArticleAction, ArticleKind


def editor(**kwargs):
    kwargs.setdefault("first_name", "Tanja")
    kwargs.setdefault("last_name", "Teamleiterin")
    return UserFactory(roles=[Role.TEAM_LEAD], **kwargs)


def reader(role=Role.CLERK, **kwargs):
    return UserFactory(roles=[role], **kwargs)


def content(owner, **fields) -> services.ArticleContent:
    fields.setdefault("kind", ArticleKind.LEGAL_BASIS)
    fields.setdefault("title", "Verlängerung der Aufenthaltserlaubnis")
    fields.setdefault("paragraph", "§ 8")
    fields.setdefault("statute", "AufenthG")
    fields.setdefault(
        "body",
        "Die Aufenthaltserlaubnis wird verlängert, wenn die Voraussetzungen fortbestehen.\n"
        "Der Antrag ist vor Ablauf des Aufenthaltstitels zu stellen.",
    )
    fields.setdefault("review_on", clock.office_today() + timedelta(days=180))
    return services.ArticleContent(owner=owner, **fields)


def article(author=None, *, publish=True, **fields):
    author = author or editor()
    fields.setdefault("owner", author)
    owner = fields.pop("owner")
    made = services.create_article(content(owner, **fields), actor=author)
    if publish:
        made = services.move_article(made, ArticleAction.PUBLISH, actor=author)
    return made


PAST = date(2000, 1, 1)
