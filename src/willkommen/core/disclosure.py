"""Protecting persons in published figures (ARCHITECTURE invariant 8).

A count of 1 to 4 in a published table could identify a person ("the one
applicant from X whose case was rejected"), so such counts are withheld and
shown as "< 5" (primary suppression). Zero is shown: it says nothing about anybody.

Withholding a cell is not enough where the table also shows its totals: the
total minus the other cells gives the withheld one back. So ``protect`` also
withholds as many other cells as it takes (secondary, complementary
suppression, shown as "x") that nobody can narrow a "< 5" down from the figures
that are shown: not by subtracting within a row or column, and not by
combining rows and columns. It checks this the way a reader would attack the
tables (``attack``: every sum of the published tables, worked through until
nothing changes) and adds cells until every "< 5" could still be any of 1 to 4.

Figures derived from counts (a share, a mean, a change against the previous
period) are withheld with the counts they would give away.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

THRESHOLD = 5
SMALL = f"< {THRESHOLD}"  # shown for a withheld count of 1 to 4
WITHHELD = "x"  # shown for a count withheld so that no "< 5" can be computed
PRIMARY, SECONDARY = "primary", "secondary"

Key = Hashable


@dataclass(frozen=True)
class Published:
    value: float | int | None  # None: suppressed
    suppressed: bool

    def __str__(self):
        return SMALL if self.suppressed else str(self.value)


def count(value: int) -> Published:
    if is_small(value):
        return Published(None, True)
    return Published(value, False)


def derived(value, based_on: int) -> Published:
    """A share, mean or median computed from ``based_on`` records."""
    if based_on < THRESHOLD:
        return Published(None, True)
    return Published(value, False)


def is_small(value: int) -> bool:
    return 0 < value < THRESHOLD


@dataclass(frozen=True)
class Total:
    """A published identity: the cell ``total`` is the sum of the cells ``parts``."""

    total: Key
    parts: tuple[Key, ...]


def _prior(kind: str) -> tuple[float, float]:
    """What a reader knows of a withheld cell from its mark alone."""
    # "< 5" says 1 to 4; an "x" is never a small count and never zero (zeros are shown).
    return (1, THRESHOLD - 1) if kind == PRIMARY else (THRESHOLD, math.inf)


def attack(
    values: Mapping[Key, int], withheld: Mapping[Key, str], totals: Iterable[Total]
) -> dict[Key, tuple[float, float]]:
    """The narrowest range a reader can give each withheld cell from what is shown.

    Interval propagation over every published sum (the "shuttle" method): each
    cell is the total minus the other parts, each total the sum of its parts,
    repeated until no range narrows.
    """
    ranges = {key: (value, value) for key, value in values.items() if key not in withheld}
    ranges |= {key: _prior(kind) for key, kind in withheld.items()}
    relevant = [t for t in totals if any(k in withheld for k in (t.total, *t.parts))]
    lines = defaultdict(list)
    for index, identity in enumerate(relevant):
        for key in (identity.total, *identity.parts):
            lines[key].append(index)
    # A sum is looked at again only when one of its cells narrowed.
    queue, queued = deque(range(len(relevant))), set(range(len(relevant)))
    budget = 200 * len(relevant)
    while queue and budget:
        index = queue.popleft()
        queued.discard(index)
        budget -= 1
        for key in _narrow(relevant[index], ranges):
            for other in lines[key]:
                if other not in queued:
                    queue.append(other)
                    queued.add(other)
    return {key: ranges[key] for key in withheld}


def _narrow(identity: Total, ranges: dict) -> list[Key]:
    """Narrow the cells of one sum from the others; the cells that narrowed."""
    parts = identity.parts
    low_sum = sum(ranges[p][0] for p in parts)
    finite_high = sum(ranges[p][1] for p in parts if ranges[p][1] != math.inf)
    infinite = sum(1 for p in parts if ranges[p][1] == math.inf)
    total_low, total_high = ranges[identity.total]
    changed = []
    high_sum = math.inf if infinite else finite_high
    new = (max(total_low, low_sum), min(total_high, high_sum))
    if new != (total_low, total_high):
        ranges[identity.total] = new
        changed.append(identity.total)
        total_low, total_high = new
    for part in parts:
        low, high = ranges[part]
        others_low = low_sum - low
        if high == math.inf:
            others_high = math.inf if infinite > 1 else finite_high
        else:
            others_high = math.inf if infinite else finite_high - high
        new = (max(low, total_low - others_high), min(high, total_high - others_low))
        if new != (low, high):
            ranges[part] = new
            changed.append(part)
            low_sum += new[0] - low
            if high != math.inf:
                finite_high -= high
            else:
                infinite -= 1
            if new[1] != math.inf:
                finite_high += new[1]
            else:
                infinite += 1
    return changed


def exposed(values, withheld, totals) -> list[Key]:
    """The "< 5" cells a reader can narrow down (should be none)."""
    ranges = attack(values, withheld, totals)
    return [
        key
        for key, kind in withheld.items()
        if kind == PRIMARY and (ranges[key][0] > 1 or ranges[key][1] < THRESHOLD - 1)
    ]


def protect(values: Mapping[Key, int], totals: Iterable[Total]) -> dict[Key, str]:
    """The cells to withhold: {key: PRIMARY or SECONDARY}.

    Primary: every count of 1 to 4. Secondary: while a reader can narrow a "< 5"
    down, one more cell of a sum it is in is withheld — preferably not a total
    (totals are what a report is read for), one large enough to leave room, the
    smallest such. Zeros are never withheld. Ends at the latest when every
    non-zero cell connected to the "< 5" by a sum is withheld (then a reader
    knows no more than each mark says).
    """
    totals = [t for t in totals if all(k in values for k in (t.total, *t.parts))]
    withheld = {key: PRIMARY for key, value in values.items() if is_small(value)}
    if not withheld:
        return withheld
    lines = defaultdict(list)
    for identity in totals:
        for key in (identity.total, *identity.parts):
            lines[key].append(identity)
    sums = {t.total for t in totals}
    order = {key: index for index, key in enumerate(values)}
    while weak := exposed(values, withheld, totals):
        # One more cell per exposed "< 5" whose sums got none yet in this round.
        touched, added = set(), False
        for key in weak:
            if touched & set(map(id, lines[key])):
                continue
            candidate = _complement(key, values, withheld, lines, sums, order)
            if candidate is not None:
                withheld[candidate] = SECONDARY
                touched |= set(map(id, lines[key])) | set(map(id, lines[candidate]))
                added = True
        if not added:
            break  # everything that could be withheld around them is
    return _release(values, withheld, totals)


# Each try costs an attack on the whole sheet; beyond this many, an unneeded "x" stays.
RELEASE_TRIES = 24


def _release(values, withheld, totals) -> dict[Key, str]:
    """Show again the "x" cells that protect nothing.

    Cells are chosen a round at a time, so some end up withheld that are not
    needed. Those a reader can compute anyway are shown at once (it changes
    nothing a reader can find out); then, the last chosen first, each of the
    others is tried (up to ``RELEASE_TRIES``): shown, if no "< 5" becomes exposed.
    """
    ranges = attack(values, withheld, totals)
    for key, kind in list(withheld.items()):
        if kind == SECONDARY and ranges[key][0] == ranges[key][1]:
            del withheld[key]
    tries = [k for k, kind in reversed(withheld.items()) if kind == SECONDARY]
    for key in tries[:RELEASE_TRIES]:
        del withheld[key]
        if exposed(values, withheld, totals):
            withheld[key] = SECONDARY
    return withheld


def _complement(key, values, withheld, lines, sums, order):
    """The best cell to withhold next for ``key``: in its sums first, then further out."""
    seen, frontier = {key}, [key]
    while frontier:
        near = {k for cell in frontier for t in lines[cell] for k in (t.total, *t.parts)}
        options = [k for k in near if k not in withheld and values[k] > 0]
        if options:
            return min(
                options,
                key=lambda k: (k in sums, values[k] < 2 * THRESHOLD - 1, values[k], order[k]),
            )
        frontier = [k for k in near if k not in seen]
        seen |= near
    return None
