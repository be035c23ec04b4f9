"""Sections an app to the right adds to a page of an app to its left.

The case page (cases) sits left of payments in the flow, so it must not import
payments to show what a case owes. Instead an app registers, in
``AppConfig.ready()``, a function that renders its section of a named page; the
page's template shows every registered section with
``{% page_sections "cases:detail" case %}``, in position order. A function
returns "" when it has nothing to show for this object.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import format_html_join
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class PageSection:
    name: str
    render: Callable  # (request, obj) -> str (HTML, already escaped/rendered)
    position: int = 100


_sections: dict[str, dict[str, PageSection]] = {}


def register(page: str, name: str, render: Callable, position: int = 100) -> None:
    """``render(request, obj)`` gives the HTML; ``name`` keeps re-registration idempotent."""
    _sections.setdefault(page, {})[name] = PageSection(name, render, position)


def sections_for(page: str) -> list[PageSection]:
    return sorted(_sections.get(page, {}).values(), key=lambda s: (s.position, s.name))


def render_sections(page: str, request, obj) -> SafeString:
    rendered = [section.render(request, obj) for section in sections_for(page)]
    return format_html_join("", "{}", ((html,) for html in rendered if html))
