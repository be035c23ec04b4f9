"""The case state machine: which status a case may move to from its current one.

A case type orders its statuses. From status *s* a case may move
- forward to the next status, or further if every status passed over is skippable;
- back to an earlier status that allows returns (e.g. "documents incomplete",
  "in review" after an authority answered);
- nowhere once closed.
This function is the transition table: every status write asks it.
"""

from willkommen.cases.models import Phase, StatusType


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


def is_allowed(current: StatusType, target: StatusType, statuses: list[StatusType]) -> bool:
    return any(s.pk == target.pk for s in allowed_targets(current, statuses))
