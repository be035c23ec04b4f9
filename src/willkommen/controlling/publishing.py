"""The cells of the published tables, the sums that tie them together, and how each is shown.

Every table of key figures that leaves the database — the dashboard, the
exports, the council report as a page and as PDF — is laid out on one
``Sheet``. A count is entered under a key that names what it counts (the same
key in every table that shows it), a derived figure with the counts it would
give away, and every identity a reader could use (a total and its parts) is
entered too. ``Sheet.publish`` then withholds small counts and what it takes
to keep them (``disclosure.protect``) across all tables at once, and fills in
what each cell shows. ``text`` is the one way a figure is written out, on the
page and in the PDF alike.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from django.utils.formats import number_format

from willkommen.controlling.export import Table
from willkommen.core import disclosure

NOTHING = "–"  # no figure: nothing to compute it from


@dataclass(frozen=True)
class Cell:
    """A placeholder in a table row until the sheet is published."""

    key: Hashable | None
    value: int | float | None
    digits: int | None = None  # a derived figure, rounded to this many decimals
    based_on: int = 0  # a derived figure: the records it was computed from
    reveals: tuple = ()  # a derived figure: the counts one could compute back from it


class Sheet:
    def __init__(self):
        self.values: dict[Hashable, int] = {}
        self.totals: list[disclosure.Total] = []
        self.shown: dict[Hashable, int | float | str] = {}

    def count(self, key: Hashable, value: int) -> Cell:
        if self.values.setdefault(key, value) != value:
            raise ValueError(f"{key!r} is entered with two values")
        return Cell(key, value)

    def derived(
        self,
        value: float | None,
        *,
        based_on: int,
        reveals: Iterable[Hashable] = (),
        digits: int = 1,
        key: Hashable | None = None,
    ) -> Cell:
        return Cell(key, value, digits, based_on, tuple(reveals))

    def compared(self, label: str, key: tuple, now: int, before: int) -> list:
        """A row: a count of this period and of the one before (``key`` with "now"/"before"
        after its first part), and the change in percent, which gives both away."""
        now_cell = self.count((key[0], "now", *key[1:]), now)
        before_cell = self.count((key[0], "before", *key[1:]), before)
        change = self.derived(
            100 * (now - before) / before if before else None,
            based_on=before,
            reveals=[now_cell.key, before_cell.key],
        )
        return [label, now_cell, before_cell, change]

    def total(self, key: Hashable, parts: Iterable[Hashable]) -> None:
        """``key`` is the sum of ``parts``; a sum that does not hold is no identity."""
        parts = tuple(parts)
        if self.values[key] == sum(self.values[part] for part in parts):
            self.totals.append(disclosure.Total(key, parts))

    def publish(self, tables: list[Table]) -> list[Table]:
        withheld = disclosure.protect(self.values, self.totals)
        for table in tables:
            table.rows = [[self._show(cell, withheld) for cell in row] for row in table.rows]
        return tables

    def _show(self, cell, withheld):
        if not isinstance(cell, Cell):
            return cell
        if cell.digits is None:
            kind = withheld.get(cell.key)
            shown = (
                disclosure.SMALL
                if kind == disclosure.PRIMARY
                else disclosure.WITHHELD
                if kind
                else cell.value
            )
        elif cell.value is None:
            shown = NOTHING
        elif cell.based_on < disclosure.THRESHOLD:
            shown = disclosure.SMALL
        elif any(key in withheld for key in cell.reveals):
            shown = disclosure.WITHHELD
        else:
            shown = round(cell.value, cell.digits)
        if cell.key is not None:
            self.shown[cell.key] = shown
        return shown


def text(value) -> str:
    """A figure as the dashboard, the report and the PDF write it (in the current language)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return number_format(value, force_grouping=True)
