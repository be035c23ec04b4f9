"""Staff work areas: each app announces its own pages for the staff start page.

The start page (accounts) sits left of booking, frontdesk, cases and controlling
in the flow, so it must not name their URLs. Instead each app registers its
areas in ``AppConfig.ready()``; the start page shows those the user's roles allow.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class WorkArea:
    url_name: str
    label: str  # a lazy translation
    roles: tuple[str, ...]
    position: int = 100

    def url(self) -> str:
        return reverse(self.url_name)


_areas: dict[str, WorkArea] = {}


def register(url_name: str, label, roles, position: int = 100) -> None:
    _areas[url_name] = WorkArea(url_name, label, tuple(roles), position)


def areas_for(user_roles) -> list[WorkArea]:
    allowed = set(user_roles)
    return sorted(
        (area for area in _areas.values() if allowed & set(area.roles)),
        key=lambda area: (area.position, str(area.label)),
    )
