"""The article's state machine: one table; an edge not listed cannot happen.

draft → published → archived. A published article may go back to draft (withdrawn
while it is reworked), a draft be archived unpublished, and an archived one come
back as a draft (never straight to published: it is read again first).
"""

from django.utils.translation import gettext_lazy as _

from willkommen.core.states import TransitionTable
from willkommen.knowledge.models import ArticleAction as Action
from willkommen.knowledge.models import ArticleStatus as Status

TABLE = TransitionTable.from_sources(
    "knowledge article",
    {
        Action.PUBLISH: ([Status.DRAFT], Status.PUBLISHED),
        Action.WITHDRAW: ([Status.PUBLISHED], Status.DRAFT),
        Action.ARCHIVE: ([Status.DRAFT, Status.PUBLISHED], Status.ARCHIVED),
        Action.RESTORE: ([Status.ARCHIVED], Status.DRAFT),
    },
    initial={Action.CREATE: Status.DRAFT},
    message=_("This article is not in a state that allows this."),
)
