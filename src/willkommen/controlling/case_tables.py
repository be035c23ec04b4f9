"""The tables of cases: inflow, closings, backlog and processing times (see ``layout``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from willkommen.controlling.export import Table
from willkommen.controlling.publishing import Sheet

if TYPE_CHECKING:
    from willkommen.controlling.reports import KpiReport


def age_label(low: int, high: int | None) -> str:
    if high is None:
        return _("%(weeks)d weeks and more") % {"weeks": low // 7}
    return _("%(low)d to under %(high)d weeks") % {"low": low // 7, "high": -(-high // 7)}


def case_tables(sheet: Sheet, report: KpiReport, compare_columns) -> list[Table]:
    c, pc = report.cases, report.previous_cases

    def compared(label, name, now, before):
        return sheet.compared(label, ("cases", name), now, before)

    def parts(name, rows):
        cells = [[label, sheet.count(("cases", "now", "backlog", name, i), n)]
                 for i, (label, n) in enumerate(rows)]  # fmt: skip
        sheet.total(("cases", "now", "backlog"), [cell[1].key for cell in cells])
        return cells

    overview = Table(
        _("Cases"),
        compare_columns,
        [
            compared(_("Received"), "received", c.inflow, pc.inflow),
            compared(_("Closed"), "closed", c.closed, pc.closed),
            compared(
                _("Open at the end of the period (backlog)"), "backlog", c.backlog, pc.backlog
            ),
            compared(_("Of which over the service norm"), "over_norm", c.over_norm, pc.over_norm),
            compared(
                _("Interim certificates issued"),
                "interim_certificates",
                c.interim_certificates,
                pc.interim_certificates,
            ),
        ],
        note=_("Case files are kept per team, not per location: these figures cover all locations.")
        if report.scope.location_id
        else "",
        section="cases",
    )
    processing = []
    for index, row in enumerate(c.processing_by_type):
        processing.append(
            [
                row.label,
                sheet.count(("cases", "now", "closed", "type", index), row.closed),
                sheet.derived(row.days_median, based_on=row.closed),
                sheet.derived(row.days_p80, based_on=row.closed),
            ]
        )
    sheet.total(("cases", "now", "closed"), [row[1].key for row in processing])
    return [
        overview,
        Table(
            _("Backlog by team"),
            [_("Team"), _("Open cases")],
            parts("team", c.backlog_by_team),
            section="cases",
            key="backlog_by_team",
        ),
        Table(
            _("Backlog by status"),
            [_("Status"), _("Open cases")],
            parts("status", c.backlog_by_status),
            section="cases",
        ),
        Table(
            _("Age of the open cases"),
            [_("Age"), _("Open cases")],
            parts("age", [(age_label(low, high), n) for (low, high), n in c.age_buckets]),
            section="cases",
        ),
        Table(
            _("Processing time of closed cases"),
            [_("Case type"), _("Closed"), _("Days, median"), _("Days, 80th percentile")],
            processing,
            section="cases",
        ),
    ]
