"""The difference between two versions of an article, line by line (``difflib``).

Rows carry plain text; the template escapes it like any other text, so an article
that contains markup shows the markup as text, never as HTML.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from willkommen.knowledge.models import ArticleKind, ArticleVersion


@dataclass(frozen=True)
class DiffRow:
    kind: str  # "same", "added", "removed"
    text: str


def _lines(version: ArticleVersion) -> list[str]:
    """A version as lines: its metadata first, then the text, then the links."""
    owner = version.owner.get_full_name() or version.owner.get_username()
    lines = [
        f"{_('Title')}: {version.title}",
        f"{_('Kind')}: {ArticleKind(version.kind).label}",
        f"{_('Source')}: {version.source}",
        f"{_('Link')}: {version.link}",
        f"{_('Owner')}: {owner}",
        f"{_('Review by')}: {version.review_on.isoformat()}",
        "",
    ]
    lines += version.body.split("\n")
    labels = {
        "services": _("Service"),
        "case_types": _("Case type"),
        "checklist_items": _("Checklist item"),
    }
    links = [f"{labels[key]}: {name}" for key in labels for name in version.links.get(key, [])]
    if links:
        lines += ["", *links]
    return lines


def compare(old: ArticleVersion, new: ArticleVersion, context: int = 3) -> list[DiffRow | None]:
    """The changed lines with ``context`` lines around them; ``None`` marks a gap."""
    rows: list[DiffRow | None] = []
    before, after = _lines(old), _lines(new)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if rows:
            rows.append(None)
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [DiffRow("same", line) for line in before[i1:i2]]
                continue
            rows += [DiffRow("removed", line) for line in before[i1:i2]]
            rows += [DiffRow("added", line) for line in after[j1:j2]]
    return rows
