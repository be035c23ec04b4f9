"""What applicants can do beyond the catalogue, announced by the apps that offer it.

The public pages (catalog) sit left of booking and cases in the flow, so they must
not name those apps' URLs. Instead each app registers, in ``AppConfig.ready()``:

- ``register_link``: an entry for the start page ("Book an appointment", "Where does
  my application stand?");
- ``register_service_actions``: a function that, given a service, returns the actions
  that fit it on its page ("Book an appointment for this service").
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class PublicLink:
    url_name: str
    label: str  # lazy translations
    description: str
    position: int = 100
    # Asked on every start page: e.g. an online form needs its case type set up.
    available: Callable[[], bool] | None = None

    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class ServiceAction:
    url: str
    label: str
    primary: bool = False


_links: dict[str, PublicLink] = {}
_service_actions: dict[str, Callable] = {}
_footer_links: dict[str, PublicLink] = {}


def register_link(
    url_name: str, label, description="", position: int = 100, available=None
) -> None:
    _links[url_name] = PublicLink(url_name, label, description, position, available)


def links() -> list[PublicLink]:
    shown = [link for link in _links.values() if link.available is None or link.available()]
    return sorted(shown, key=lambda link: (link.position, str(link.label)))


def register_service_actions(name: str, actions: Callable) -> None:
    """``actions(service) -> list[ServiceAction]``; ``name`` keeps re-registration idempotent."""
    _service_actions[name] = actions


def actions_for(service) -> list[ServiceAction]:
    found = [action for actions in _service_actions.values() for action in actions(service)]
    return sorted(found, key=lambda action: not action.primary)


def register_footer_link(url_name: str, label, position: int = 100) -> None:
    _footer_links[url_name] = PublicLink(url_name, label, "", position)


def footer_links() -> list[PublicLink]:
    return sorted(_footer_links.values(), key=lambda link: (link.position, str(link.label)))
