"""The key figures of a report laid out as tables, on one sheet (see ``publishing``).

Each count is entered under a key that says what it counts, so the same count
in two tables is one cell; each sum a reader could use (a total and its parts,
in a row, a column or across tables) is entered as an identity. The tables go
to the dashboard, the exports and the council report alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from willkommen.controlling import outcomes
from willkommen.controlling.appointment_tables import appointment_tables, emergency_table
from willkommen.controlling.case_tables import case_tables
from willkommen.controlling.complaint_tables import complaint_tables
from willkommen.controlling.export import Table
from willkommen.controlling.publishing import Sheet
from willkommen.controlling.visit_tables import (
    buckets,
    hour_table,
    time_table,
    visit_table,
    visit_totals,
)

if TYPE_CHECKING:
    from willkommen.controlling.reports import KpiReport

__all__ = ["OVER_TIME_COLUMNS", "buckets", "tables"]


# Where the dashboard's chart finds its series in the table "Visits over time".
OVER_TIME_COLUMNS = {"visits": 1, "persons": 6, "work_items": 7}


def tables(report: KpiReport) -> tuple[list[Table], Sheet]:
    """Every table of the report, published (small counts withheld, see ``disclosure``)."""
    sheet = Sheet()
    v, pv = report.visits, report.previous_visits
    visit_totals(sheet, "now", v)
    visit_totals(sheet, "before", pv)
    now_label = report.scope.period.label()
    compare_columns = [
        _("Figure"),
        now_label,
        report.previous_scope.period.label(),
        _("Change in %"),
    ]

    def compared(label, key, now, before):
        return sheet.compared(label, key, now, before)

    def per_visit(figures, period):
        return sheet.derived(
            figures.work_items / figures.visits if figures.visits else None,
            based_on=figures.visits,
            reveals=[("visits", period), ("work_items", period)],
            digits=2,
        )

    def share_left(figures, period):
        persons = figures.persons
        return sheet.derived(
            100 * figures.persons_by_outcome.left_unserved / persons if persons else None,
            based_on=persons,
            reveals=[("persons", period), ("persons", period, "left_unserved")],
            key=("share_left", period),
        )

    def breakdown(kind, label):
        now, before = v.outcomes, pv.outcomes
        if kind == "left_unserved":
            return compared(label, ("visits", kind), now.left_unserved, before.left_unserved)
        return compared(label, ("visits", kind), now[kind], before[kind])

    result = [
        Table(
            _("Visits and work items"),
            compare_columns,
            [
                compared(_("Visits (appearances at the office)"), ("visits",), v.visits, pv.visits),
                breakdown(outcomes.SERVED, _("… served at a counter")),
                breakdown(outcomes.SETTLED, _("… settled at reception")),
                breakdown("left_unserved", _("… left unserved")),
                breakdown(outcomes.NO_SHOW, _("… of them not there when called")),
                breakdown(outcomes.LEFT, _("… of them left before being called")),
                breakdown(outcomes.WAITING, _("… still waiting")),
                compared(_("Persons present"), ("persons",), v.persons, pv.persons),
                compared(
                    _("… of them left unserved"),
                    ("persons", "left_unserved"),
                    v.persons_by_outcome.left_unserved,
                    pv.persons_by_outcome.left_unserved,
                ),
                [
                    _("Persons who left unserved (%)"),
                    share_left(v, "now"),
                    share_left(pv, "before"),
                    "",
                ],
                compared(_("Work items"), ("work_items",), v.work_items, pv.work_items),
                [_("Work items per visit"), per_visit(v, "now"), per_visit(pv, "before"), ""],
                compared(
                    _("Repeat visits about the same matter"),
                    ("repeat",),
                    v.repeat_visits,
                    pv.repeat_visits,
                ),
            ],
            section="visits",
        ),
        hour_table(sheet, v),
        visit_table(
            sheet,
            _("Visits over time"),
            _("Period"),
            "bucket",
            [(label, row) for label, _short, row in buckets(v.by_day)],
        ),
        visit_table(sheet, _("Visits by service"), _("Service"), "service", _named(v.by_service)),
        visit_table(sheet, _("Visits by team"), _("Team"), "team", _named(v.by_team)),
        visit_table(
            sheet, _("Visits by location"), _("Location"), "location", _named(v.by_location)
        ),
        time_table(sheet, report.times),
        *appointment_tables(sheet, report, compare_columns),
        emergency_table(sheet, report.emergencies, now_label),
        *case_tables(sheet, report, compare_columns),
        *complaint_tables(sheet, report),
    ]
    for table in result:
        table.note = " ".join(
            filter(
                None,
                [
                    table.note,
                    _(
                        "Counts from 1 to 4 are shown as “< 5”; “x” marks a figure withheld "
                        "so that none of them can be computed from the totals."
                    ),
                ],
            )
        )
    return sheet.publish(result), sheet


def _named(rows):
    return [(row.label, row) for row in rows]
