"""One kind of state machine for every stateful thing: a table of edges.

Appointments, emergency requests, visits and cases each declare one
``TransitionTable``: ``(status, action) -> status``. An edge not listed cannot
happen. The services ask the table on every write (inside the transaction, on
the locked row) and record the event of the change beside it; a refused edge
raises ``TransitionNotAllowed`` and changes nothing.

A table may also name the actions that create a thing (``initial``): the only
ways into the machine.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


class TransitionNotAllowed(Exception):
    """The thing is not in a state that allows this action; nothing was changed."""

    code = "transition_not_allowed"
    http_status = 409
    default_message = _("This is not possible in the current state.")

    def __init__(self, status: str, action: str, message=None):
        self.status = status
        self.action = action
        self.message = message or self.default_message
        super().__init__(f"{action} is not allowed from {status}")


@dataclass(frozen=True)
class TransitionTable:
    """The edges of one state machine, and the actions that start it."""

    name: str
    edges: Mapping[tuple[str, str], str]
    initial: Mapping[str, str] = field(default_factory=dict)
    message: object = None

    @classmethod
    def from_sources(
        cls,
        name: str,
        table: Mapping[str, tuple[Iterable[str], str]],
        *,
        initial: Mapping[str, str] | None = None,
        message=None,
    ) -> "TransitionTable":
        """Build from ``action -> (statuses it may start from, status it leads to)``."""
        edges = {
            (str(source), str(action)): str(target)
            for action, (sources, target) in table.items()
            for source in sources
        }
        return cls(name=name, edges=edges, initial=dict(initial or {}), message=message)

    def target(self, status: str, action: str) -> str:
        """The status ``action`` leads to from ``status``; else TransitionNotAllowed."""
        try:
            return self.edges[(str(status), str(action))]
        except KeyError:
            raise TransitionNotAllowed(status, action, self.message) from None

    def start(self, action: str) -> str:
        """The status a new thing starts in when created by ``action``."""
        try:
            return self.initial[str(action)]
        except KeyError:
            raise TransitionNotAllowed("", action, self.message) from None

    def allows(self, status: str, action: str) -> bool:
        return (str(status), str(action)) in self.edges

    def allowed_actions(self, status: str) -> list[str]:
        """The actions possible from ``status``, in the table's order."""
        return [action for (source, action) in self.edges if source == str(status)]

    def statuses(self) -> set[str]:
        """Every status the table mentions (as source, target or start)."""
        found = set(self.initial.values())
        for (source, _action), target in self.edges.items():
            found.update((source, target))
        return found
