"""Reads of the knowledge base shared by its pages and the panels on other apps' pages.

Who may see which article is decided here and only here:
- team leads and admins (the editors): every article, in every state;
- every other staff role (reception, clerks, controllers): published articles only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from willkommen.accounts.roles import Role, has_role
from willkommen.knowledge.models import Article

READ_ROLES = tuple(Role.values)
EDIT_ROLES = (Role.TEAM_LEAD, Role.ADMIN)


def can_edit(user) -> bool:
    return has_role(user, *EDIT_ROLES)


def visible_articles(user) -> QuerySet[Article]:
    """The one access rule: editors see every article, other staff the published ones."""
    if not has_role(user, *READ_ROLES):
        return Article.objects.none()
    if can_edit(user):
        return Article.objects.all()
    return Article.objects.published()


def article_for_staff(user, pk: int) -> Article | None:
    return visible_articles(user).select_related("owner").filter(pk=pk).first()


def articles_for_service(service) -> QuerySet[Article]:
    """Published articles linked to ``service``, directly or through its case type."""
    if service is None:
        return Article.objects.none()
    linked = Q(services=service) | Q(case_types__service=service)
    ids = Article.objects.published().filter(linked).values("pk")
    return Article.objects.filter(pk__in=ids).order_by("kind", "title")


def articles_for_case_type(case_type) -> QuerySet[Article]:
    """What the case page shows: the published articles of the case's type (or service)."""
    return articles_for_service(case_type.service)


@dataclass
class ReviewDue:
    mine: list[Article]
    others: list[Article]  # only for editors: every other article past its date


def review_due(user, today) -> ReviewDue:
    """Articles past their review date: the user's own, and for editors all the others."""
    due = Article.objects.review_due(today).select_related("owner").order_by("review_on", "pk")
    mine = [article for article in due if article.owner_id == user.pk]
    others = [article for article in due if article.owner_id != user.pk] if can_edit(user) else []
    return ReviewDue(mine, others)


def possible_owners() -> QuerySet:
    """Owners must be able to fix what they are flagged for: the editors."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=EDIT_ROLES))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def versions_of(article: Article):
    return article.versions.select_related("author", "owner")
