"""What apps right of cases add to an applicant's status page.

The status page (cases) must not name the apps that attach to a case (outreach,
payments, …). Each registers, in ``AppConfig.ready()``, a function that, given the
unlocked case, returns an HTML fragment for the page, or "" when it has nothing to
show; the status page shows the fragments in the order of ``position``.
"""

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

_panels: dict[str, tuple[int, Callable]] = {}


def register(name: str, render: Callable, position: int = 100) -> None:
    """``render(case, request) -> str`` (already escaped HTML); ``name`` keeps it idempotent."""
    _panels[name] = (position, render)


def panels_for(case, request) -> list[SafeString]:
    rendered = (render(case, request) for _position, render in sorted(_panels.values(), key=_first))
    return [mark_safe(html) for html in rendered if html]  # noqa: S308 - rendered templates


def _first(entry):
    return entry[0]
