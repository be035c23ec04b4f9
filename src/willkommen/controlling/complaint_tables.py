"""The tables of complaints and praise (from ``complaints.figures``), see ``layout``.

The counts are entered on the report's sheet like every other count, so the one
suppression over all tables (``disclosure.protect``) withholds them too: counts of 1 to
4 and what it takes that none can be computed back from the row and column totals.
The share answered by the deadline and the median days to the first answer are
withheld below five answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from willkommen.complaints.figures import TOTAL
from willkommen.complaints.models import Category
from willkommen.controlling.export import Table
from willkommen.controlling.kpis import quantile
from willkommen.controlling.publishing import Sheet

if TYPE_CHECKING:
    from willkommen.controlling.reports import KpiReport

SECTION = "complaints"


def key(category, team) -> tuple:
    """The sheet's key of a count of complaints (category or TOTAL, team id or TOTAL)."""
    return ("complaints", category, team)


def complaint_tables(sheet: Sheet, report: KpiReport) -> list[Table]:
    figures = report.complaints
    columns = [team for team, _name in figures.teams]

    def count(category, team):
        return sheet.count(key(category, team), figures.counts[(category, team)])

    rows = [
        [
            _("Total") if category == TOTAL else Category(category).label,
            *(count(category, team) for team in [*columns, TOTAL]),
        ]
        for category in [*figures.categories, TOTAL]
    ]
    for category in [*figures.categories, TOTAL]:
        sheet.total(key(category, TOTAL), [key(category, t) for t in columns])
    for team in [*columns, TOTAL]:
        sheet.total(key(TOTAL, team), [key(c, team) for c in figures.categories])
    answered = sheet.count(("complaints", "answered"), figures.answered)
    handling = [
        [_("Complaints and praise received"), count(TOTAL, TOTAL)],
        [_("… of them praise"), count(Category.PRAISE.value, TOTAL)],
        [_("… of them answered (first answer, by today)"), answered],
        [
            _("Answered within the deadline (%)"),
            sheet.derived(
                100 * figures.in_time / figures.answered if figures.answered else None,
                based_on=figures.answered,
                reveals=[answered.key],
                key=("complaints", "in_time_share"),
            ),
        ],
        [
            _("Days to the first answer, median"),
            sheet.derived(
                quantile(figures.days_to_answer, 0.5),
                based_on=figures.answered,
                key=("complaints", "median_days"),
            ),
        ],
    ]
    team_names = [name or _("no team") for team, name in figures.teams]
    note = _(
        "Complaints received in the period, by the team they are about (“no team”: the "
        "website, the office as a whole). Complaints are not counted by location or service."
    )
    return [
        Table(
            _("Complaints and praise by category and team"),
            [_("Category"), *team_names, _("Total")],
            rows,
            note=note,
            section=SECTION,
        ),
        Table(_("Handling of complaints"), [_("Figure"), _("Value")], handling, section=SECTION),
    ]
