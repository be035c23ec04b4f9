"""Panels on the pages of apps to the left, filled by apps to their right.

The case page and the applicant's status page (cases), the clerk's workstation
(frontdesk) and the staff start page (accounts) sit left of the apps that add to them
(knowledge, payments, outreach, …), so they
must not import those apps. Instead each app registers, in ``AppConfig.ready()``, a
function for a *place*; the page's template shows what the functions return with
``{% panels "case" case %}``.

Places and the subject each one is handed:

- ``"case"``: the case page's side column, the ``Case``;
- ``"status"``: the applicant's status page (unlocked by reference and code), the ``Case``;
- ``"visit"``: a visitor at the clerk's workstation, the ``Visit``;
- ``"staff_home"``: the staff start page, the signed-in user.

A function gets ``(request, subject)`` and returns HTML (rendered from its own
template, so escaped there) or an empty string when it has nothing to show. Who may
see what is the function's own rule: the page only decides who sees the page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

PLACES = ("case", "status", "visit", "staff_home")


@dataclass(frozen=True)
class Panel:
    name: str
    render: Callable[[object, object], str]
    position: int = 100


_panels: dict[str, dict[str, Panel]] = {place: {} for place in PLACES}


def register(place: str, name: str, render, position: int = 100) -> None:
    """``render(request, subject) -> str``; ``name`` keeps re-registration idempotent."""
    if place not in _panels:
        raise ValueError(f"unknown panel place {place!r}; known: {', '.join(PLACES)}")
    _panels[place][name] = Panel(name, render, position)


def panels_for(place: str) -> list[Panel]:
    return sorted(_panels[place].values(), key=lambda panel: (panel.position, panel.name))


def render_place(place: str, request, subject) -> SafeString:
    """Every panel of ``place`` for ``subject``, in order; the empty ones left out."""
    parts = [panel.render(request, subject) for panel in panels_for(place)]
    return format_html_join("\n", "{}", ((part,) for part in parts if part))
