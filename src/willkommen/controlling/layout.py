"""The key figures of a report laid out as tables, on one sheet (see ``publishing``).

Each count is entered under a key that says what it counts, so the same count
in two tables is one cell; each sum a reader could use (a total and its parts,
in a row, a column or across tables) is entered as an identity. The tables go
to the dashboard, the exports and the council report alike.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from willkommen.controlling import kpis, outcomes
from willkommen.controlling.export import Table
from willkommen.controlling.publishing import Sheet
from willkommen.frontdesk.models import Priority

if TYPE_CHECKING:
    from willkommen.controlling.reports import KpiReport

# The breakdown of every visit figure; "left unserved" joins no-shows and those who left.
BREAKDOWN = (outcomes.SERVED, outcomes.SETTLED, "left_unserved", outcomes.WAITING)


def priority_label(priority: str) -> str:
    return str(Priority(priority).label) if priority else _("all")


def age_label(low: int, high: int | None) -> str:
    if high is None:
        return _("%(weeks)d weeks and more") % {"weeks": low // 7}
    return _("%(low)d to under %(high)d weeks") % {"low": low // 7, "high": -(-high // 7)}


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
        return _compare(sheet, label, key, now, before)

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
        _time_table(sheet, report.times),
        *_appointment_tables(sheet, report, compare_columns),
        _emergency_table(sheet, report.emergencies, now_label),
        *_case_tables(sheet, report, compare_columns),
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


def _time_table(sheet: Sheet, times: list[kpis.TimeRow]) -> Table:
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


def _compare(sheet: Sheet, label: str, key: tuple, now: int, before: int) -> list:
    now_cell = sheet.count((key[0], "now", *key[1:]), now)
    before_cell = sheet.count((key[0], "before", *key[1:]), before)
    change = sheet.derived(
        100 * (now - before) / before if before else None,
        based_on=before,
        reveals=[now_cell.key, before_cell.key],
    )
    return [label, now_cell, before_cell, change]


def _appointment_tables(sheet: Sheet, report: KpiReport, compare_columns) -> list[Table]:
    a, pa = report.appointments, report.previous_appointments

    def compared(label, name, now, before):
        return _compare(sheet, label, ("appointments", name), now, before)

    def rate(total, period):
        return sheet.derived(
            100 * total.no_show / total.booked if total.booked else None,
            based_on=total.booked,
            reveals=[("appointments", period, "booked"), ("appointments", period, "no_show")],
        )

    offered = (
        ["–", "–", "–"]
        if a.offered is None
        else _compare(sheet, "", ("appointments", "offered"), a.offered, pa.offered or 0)[1:]
    )
    measures = ("booked", "kept", "no_show", "cancelled")
    by_service = []
    for index, row in enumerate(a.by_service):
        cells = [row.label]
        for name in measures:
            cells.append(
                sheet.count(("appointments", "now", name, "service", index), getattr(row, name))
            )
        cells.append(sheet.derived(row.lead_median, based_on=row.booked))
        by_service.append(cells)
    overview = Table(
        _("Appointments"),
        compare_columns,
        [
            [_("Offered (capacity of all channels)"), *offered],
            compared(_("Booked"), "booked", a.total.booked, pa.total.booked),
            compared(_("Kept (checked in)"), "kept", a.total.kept, pa.total.kept),
            compared(_("No-show"), "no_show", a.total.no_show, pa.total.no_show),
            compared(_("Cancelled"), "cancelled", a.total.cancelled, pa.total.cancelled),
            compared(
                _("Held online but never confirmed"), "unconfirmed", a.unconfirmed, pa.unconfirmed
            ),
            [_("No-show rate (%)"), rate(a.total, "now"), rate(pa.total, "before"), ""],
            [
                _("Days from booking to appointment, median"),
                sheet.derived(a.total.lead_median, based_on=a.total.booked),
                sheet.derived(pa.total.lead_median, based_on=pa.total.booked),
                "",
            ],
        ],
        section="appointments",
    )
    for name in measures:
        sheet.total(
            ("appointments", "now", name),
            [("appointments", "now", name, "service", i) for i in range(len(by_service))],
        )
    return [
        overview,
        Table(
            _("Appointments by service"),
            [
                _("Service"),
                _("Booked"),
                _("Kept"),
                _("No-show"),
                _("Cancelled"),
                _("Days from booking to appointment, median"),
            ],
            by_service,
            section="appointments",
        ),
    ]


def _emergency_table(sheet: Sheet, e: kpis.EmergencyFigures, now_label: str) -> Table:
    def count(name, value):
        return sheet.count(("emergency", name), value)

    rows = [
        [_("Received"), count("received", e.received)],
        [_("Accepted"), count("accepted", e.accepted)],
        [_("Rejected"), count("rejected", e.rejected)],
        [_("Not yet answered"), count("open", e.open)],
        [
            _("Hours to the answer, median"),
            sheet.derived(e.answer_hours_median, based_on=e.received),
        ],
        [
            _("Hours to the answer, 90th percentile"),
            sheet.derived(e.answer_hours_p90, based_on=e.received),
        ],
    ]
    sheet.total(
        ("emergency", "received"), [("emergency", n) for n in ("accepted", "rejected", "open")]
    )
    return Table(_("Emergency requests"), [_("Figure"), now_label], rows, section="appointments")


def _case_tables(sheet: Sheet, report: KpiReport, compare_columns) -> list[Table]:
    c, pc = report.cases, report.previous_cases

    def compared(label, name, now, before):
        return _compare(sheet, label, ("cases", name), now, before)

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
