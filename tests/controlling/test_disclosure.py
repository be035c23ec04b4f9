"""No "< 5" can be computed back: the tables are attacked as a reader would attack them.

The attacker here is written apart from ``disclosure.attack`` on purpose: it
reads only what is shown (a number, "< 5" meaning 1 to 4, "x" meaning a
count that is neither zero nor small) and the sums a reader knows the tables
to have, and narrows every withheld cell by subtraction until nothing changes.
"""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from willkommen.core import disclosure

SMALL, WITHHELD = disclosure.SMALL, disclosure.WITHHELD


def narrowed(cells: dict, identities: list[tuple]) -> list:
    """The "< 5" cells a reader can narrow down from ``cells`` (key -> shown) and the sums.

    Not counted: a cell all of whose sums are withheld (there is nothing more to
    withhold; what a reader learns, the marks say themselves: a table of fewer than
    5 in all whose four "< 5" are each at least 1).
    """
    ranges = {}
    for key, shown in cells.items():
        if shown == SMALL:
            ranges[key] = (1, 4)
        elif shown == WITHHELD:
            ranges[key] = (5, math.inf)
        else:
            ranges[key] = (shown, shown)
    for _round in range(500):
        changed = False
        for total, parts in identities:
            for key in (total, *parts):
                if key == total:
                    low = sum(ranges[p][0] for p in parts)
                    high = sum(ranges[p][1] for p in parts)
                else:
                    others = [p for p in parts if p != key]
                    low = ranges[total][0] - sum(ranges[p][1] for p in others)
                    high = ranges[total][1] - sum(ranges[p][0] for p in others)
                new = (max(ranges[key][0], low), min(ranges[key][1], high))
                if new != ranges[key]:
                    ranges[key], changed = new, True
        if not changed:
            break
    return [
        key
        for key, shown in cells.items()
        if shown == SMALL and ranges[key] != (1, 4) and not fully_withheld(key, cells, identities)
    ]


def fully_withheld(key, cells: dict, identities: list[tuple]) -> bool:
    """Every non-zero cell tied to ``key`` by sums is withheld: the marks are all there is."""
    seen, todo = {key}, [key]
    while todo:
        cell = todo.pop()
        for total, parts in identities:
            line = (total, *parts)
            if cell in line:
                for other in line:
                    if other not in seen:
                        seen.add(other)
                        todo.append(other)
    return all(cells[k] in (SMALL, WITHHELD, 0) for k in seen)


def recovered_by_subtraction(cells: dict, identities: list[tuple]) -> list:
    """Cells a reader gets exactly as "total minus the other cells" (one unknown in a sum)."""
    found = []
    for total, parts in identities:
        unknown = [k for k in (total, *parts) if not isinstance(cells[k], int | float)]
        if len(unknown) == 1:
            found.append(unknown[0])
    return found


def grid(rows: list[list[int]]):
    """A table with a total per row, per column and overall: values and identities."""
    values, identities = {}, []
    width = len(rows[0])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            values[(r, c)] = value
        values[(r, "total")] = sum(row)
        identities.append(((r, "total"), tuple((r, c) for c in range(width))))
    for c in [*range(width), "total"]:
        values[("total", c)] = sum(values[(r, c)] for r in range(len(rows)))
        identities.append((("total", c), tuple((r, c) for r in range(len(rows)))))
    identities.append((("total", "total"), tuple(("total", c) for c in range(width))))
    return values, identities


def shown(values, identities):
    withheld = disclosure.protect(
        values, [disclosure.Total(total, parts) for total, parts in identities]
    )
    marks = {disclosure.PRIMARY: SMALL, disclosure.SECONDARY: WITHHELD}
    return {key: marks[withheld[key]] if key in withheld else v for key, v in values.items()}


def test_today_a_small_cell_came_back_as_the_total_minus_the_others():
    values, identities = grid([[3, 10, 12]])
    only_primary = {k: SMALL if disclosure.is_small(v) else v for k, v in values.items()}
    assert (0, 0) in recovered_by_subtraction(only_primary, identities)
    cells = shown(values, identities)
    assert cells[(0, 0)] == SMALL
    assert WITHHELD in cells.values()  # a second cell of the row is withheld with it
    assert recovered_by_subtraction(cells, identities) == []
    assert narrowed(cells, identities) == []
    assert cells[("total", "total")] == 25  # the totals are what a report is read for


def test_a_complement_leaves_room_and_zeros_are_shown():
    # 1 beside a withheld 5 would give the 1 away (6 − at least 5 = at most 1).
    values, identities = grid([[1, 5, 40, 0]])
    cells = shown(values, identities)
    assert cells[(0, 3)] == 0
    assert narrowed(cells, identities) == []


def test_nothing_small_nothing_withheld():
    values, identities = grid([[5, 7], [9, 120]])
    assert shown(values, identities) == values


COUNTS = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 8, 11, 20, 75])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(COUNTS, min_size=5, max_size=5), min_size=1, max_size=6), st.integers(1, 5)
)
def test_no_small_count_of_any_table_can_be_narrowed_down(rows, width):
    rows = [row[:width] for row in rows]
    values, identities = grid(rows)
    cells = shown(values, identities)
    assert recovered_by_subtraction(cells, identities) == []
    assert narrowed(cells, identities) == [], rows
    for key, value in values.items():
        assert (cells[key] == SMALL) == disclosure.is_small(value)
        if value == 0:
            assert cells[key] == 0


def test_shared_cells_across_tables_are_one_cell():
    # Two tables break the same total down two ways: both sums hold at once.
    values = {"all": 30, "a": 3, "b": 27, "x": 14, "y": 16}
    identities = [("all", ("a", "b")), ("all", ("x", "y"))]
    cells = shown(values, identities)
    assert cells["a"] == SMALL and cells["b"] == WITHHELD
    assert narrowed(cells, identities) == [] and recovered_by_subtraction(cells, identities) == []
