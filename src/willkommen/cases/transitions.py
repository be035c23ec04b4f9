"""The case state machine: which status a case may move to from its current one.

A case type orders its statuses. From status *s* a case may move
- forward to the next status, or further if every status passed over is skippable;
- back to an earlier status that allows returns (e.g. "documents incomplete",
  "in review" after an authority answered);
- nowhere once closed.
A case starts in the case type's first status (action ``open``).

``table(statuses)`` turns these rules into the case type's ``core.states.TransitionTable``
(an action is the code of the status moved to). An edge not in the table cannot
happen: every status write (``services.status.change_status``, ``open_case``,
the demo data) asks it and records a ``StatusChange`` beside it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from willkommen.cases.models import Phase, StatusType
from willkommen.core.states import TransitionNotAllowed, TransitionTable

OPEN = "open"


def allowed_targets(current: StatusType, statuses: list[StatusType]) -> list[StatusType]:
    """The statuses reachable from ``current`` among the case type's ``statuses``."""
    if current.phase == Phase.CLOSED:
        return []
    ordered = sorted(statuses, key=lambda s: s.position)
    index = next(i for i, s in enumerate(ordered) if s.pk == current.pk)
    targets = [s for s in ordered[:index] if s.allows_return]
    for candidate in ordered[index + 1 :]:
        targets.append(candidate)
        if not candidate.skippable:
            break
    return targets


def table(statuses: list[StatusType]) -> TransitionTable:
    """The transition table of a case type, built from its ordered ``statuses``."""
    ordered = sorted(statuses, key=lambda s: s.position)
    edges = {
        (source.code, target.code): target.code
        for source in ordered
        for target in allowed_targets(source, ordered)
    }
    return TransitionTable(
        name="case",
        edges=edges,
        initial={OPEN: ordered[0].code} if ordered else {},
        message=gettext_lazy("The case cannot move to this status from its current one."),
    )


def check_move(current: StatusType, target: StatusType, statuses: list[StatusType]) -> None:
    """TransitionNotAllowed (naming both statuses) unless the table has this edge."""
    try:
        table(statuses).target(current.code, target.code)
    except TransitionNotAllowed:
        raise TransitionNotAllowed(
            current.code,
            target.code,
            _("The case cannot move from “%(current)s” to “%(target)s”.")
            % {"current": current.internal_name, "target": target.internal_name},
        ) from None


def first_status(statuses: list[StatusType]) -> StatusType | None:
    """The status ``open`` leads to; None for a case type without statuses."""
    by_code = {s.code: s for s in statuses}
    machine = table(statuses)
    return by_code[machine.start(OPEN)] if machine.initial else None


def is_allowed(current: StatusType, target: StatusType, statuses: list[StatusType]) -> bool:
    return table(statuses).allows(current.code, target.code)
