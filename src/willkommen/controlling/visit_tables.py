"""The tables of visits: totals, breakdowns by day, service, team and location, waiting times.

Each visit figure is broken down by what became of the visits (``outcomes``);
the breakdown, the rows and the columns add up, and are entered as such.
"""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from willkommen.controlling import kpis, outcomes
from willkommen.controlling.export import Table
from willkommen.controlling.publishing import Sheet
from willkommen.frontdesk.models import Priority

# The breakdown of every visit figure; "left unserved" joins no-shows and those who left.
BREAKDOWN = (outcomes.SERVED, outcomes.SETTLED, "left_unserved", outcomes.WAITING)


def _breakdown(row) -> dict[str, int]:
    counts = {kind: row.outcomes[kind] for kind in (outcomes.SERVED, outcomes.SETTLED)}
    counts["left_unserved"] = row.outcomes.left_unserved
    counts[outcomes.WAITING] = row.outcomes[outcomes.WAITING]
    return counts


def visit_totals(sheet: Sheet, period: str, figures: kpis.VisitFigures) -> None:
    """The totals of a period's visits, and the sums among them."""
    sheet.count(("visits", period), figures.visits)
    for kind, n in _breakdown(figures).items():
        sheet.count(("visits", period, kind), n)
    for kind in outcomes.LEFT_UNSERVED:
        sheet.count(("visits", period, kind), figures.outcomes[kind])
    sheet.count(("persons", period), figures.persons)
    sheet.count(("persons", period, "left_unserved"), figures.persons_by_outcome.left_unserved)
    sheet.count(("work_items", period), figures.work_items)
    sheet.count(("repeat", period), figures.repeat_visits)
    sheet.total(("visits", period), [("visits", period, kind) for kind in BREAKDOWN])
    sheet.total(
        ("visits", period, "left_unserved"),
        [("visits", period, kind) for kind in outcomes.LEFT_UNSERVED],
    )


def visit_columns(first: str) -> list[str]:
    return [
        first,
        _("Visits"),
        _("Served"),
        _("Settled at reception"),
        _("Left unserved"),
        _("Still waiting"),
        _("Persons present"),
        _("Work items"),
    ]


def visit_table(sheet: Sheet, title: str, first: str, dimension: str, rows, section="visits"):
    """One row per day (week, month), service, team or location; columns add up to the totals."""
    table_rows = []
    for index, (label, row) in enumerate(rows):
        key = (dimension, index)
        cells = [label, sheet.count(("visits", "now", *key), row.visits)]
        for kind, n in _breakdown(row).items():
            cells.append(sheet.count(("visits", "now", kind, *key), n))
        cells.append(sheet.count(("persons", "now", *key), row.persons))
        cells.append(sheet.count(("work_items", "now", *key), row.work_items))
        sheet.total(("visits", "now", *key), [("visits", "now", k, *key) for k in BREAKDOWN])
        table_rows.append(cells)
    keys = range(len(table_rows))
    for measure in ("visits", "persons", "work_items"):
        sheet.total((measure, "now"), [(measure, "now", dimension, i) for i in keys])
    for kind in BREAKDOWN:
        sheet.total(("visits", "now", kind), [("visits", "now", kind, dimension, i) for i in keys])
    return Table(title, visit_columns(first), table_rows, section=section, key=dimension)


def hour_table(sheet: Sheet, figures: kpis.VisitFigures) -> Table:
    """Left unserved, its own key figure: the share of persons present, by hour of arrival."""
    rows = []
    for row in figures.by_hour:
        persons = sheet.count(("persons", "now", "hour", row.hour), row.persons)
        left = sheet.count(("persons", "now", "left_unserved", "hour", row.hour), row.left_unserved)
        share = sheet.derived(
            100 * row.share if row.share is not None else None,
            based_on=row.persons,
            reveals=[persons.key, left.key],
        )
        rows.append(
            [_("%(hour)02d:00 to %(hour)02d:59") % {"hour": row.hour}, persons, left, share]
        )
    hours = [row.hour for row in figures.by_hour]
    sheet.total(("persons", "now"), [("persons", "now", "hour", h) for h in hours])
    sheet.total(
        ("persons", "now", "left_unserved"),
        [("persons", "now", "left_unserved", "hour", h) for h in hours],
    )
    return Table(
        _("Persons who left unserved, by hour of arrival"),
        [_("Arrived"), _("Persons present"), _("Left unserved"), _("Share left unserved (%)")],
        rows,
        note=_(
            "Left unserved: not there when called, or gone before being called. The hour is "
            "that of the ticket, the check-in or the desk."
        ),
        section="visits",
    )


def buckets(by_day: list[tuple[date, kpis.VisitRow]]) -> list[tuple[str, str, kpis.VisitRow]]:
    """(label, short label for a chart axis, figures): days for up to a month, ISO weeks
    up to four months, months beyond."""
    if len(by_day) <= 31:
        return [(date_format(day, "SHORT_DATE_FORMAT"), f"{day.day}.", row) for day, row in by_day]
    weekly = len(by_day) <= 122
    grouped: dict[str, tuple[str, kpis.VisitRow]] = {}
    for day, row in by_day:
        if weekly:
            year, week, _weekday = day.isocalendar()
            label = _("W%(week)02d/%(year)d") % {"week": week, "year": year}
            short = f"{week}"
        else:
            label, short = date_format(day, "M Y"), date_format(day, "M")
        _short, total = grouped.setdefault(label, (short, kpis.VisitRow(label)))
        total.add(row)
    return [(label, short, total) for label, (short, total) in grouped.items()]


def priority_label(priority: str) -> str:
    return str(Priority(priority).label) if priority else _("all")


def time_table(sheet: Sheet, times: list[kpis.TimeRow]) -> Table:
    rows = []
    for row in times:
        called = sheet.count(("called", row.priority), row.called)
        served = sheet.count(("served", row.priority), row.served)
        within = 100 * row.within_target if row.within_target is not None else None
        rows.append(
            [
                priority_label(row.priority),
                called,
                sheet.derived(row.wait_median, based_on=row.called, key=("wait", row.priority)),
                sheet.derived(row.wait_p90, based_on=row.called),
                sheet.derived(within, based_on=row.called, key=("within", row.priority)),
                served,
                sheet.derived(row.serve_median, based_on=row.served),
                sheet.derived(row.serve_p90, based_on=row.served),
            ]
        )
    priorities = [row.priority for row in times if row.priority]
    for measure in ("called", "served"):
        sheet.total((measure, ""), [(measure, p) for p in priorities])
    return Table(
        _("Waiting and serving times"),
        [
            _("Priority"),
            _("Called"),
            _("Waiting, median (min)"),
            _("Waiting, 90th percentile (min)"),
            _("Called within %(minutes)d minutes (%%)") % {"minutes": kpis.WAIT_TARGET_MINUTES},
            _("Served"),
            _("Serving, median (min)"),
            _("Serving, 90th percentile (min)"),
        ],
        rows,
        note=_(
            "Waiting: from the ticket or check-in to the first call. "
            "Serving: from the start to the end at the counter."
        ),
        section="times",
    )
