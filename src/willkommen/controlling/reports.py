"""The key figures of a period as tables: for the dashboard, the exports and the council report.

One builder (``build``) computes the figures of a scope and of the period before
it; ``tables`` lays them out. The dashboard shows them as they are (staff only);
a published report (``published=True``) suppresses small counts and what is
derived from them (see ``disclosure``), so that no person can be identified.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from willkommen.controlling import disclosure, kpis
from willkommen.controlling.export import Table
from willkommen.frontdesk.models import Priority


@dataclass
class KpiReport:
    scope: kpis.Scope
    previous_scope: kpis.Scope
    visits: kpis.VisitFigures
    previous_visits: kpis.VisitFigures
    times: list[kpis.TimeRow]
    appointments: kpis.AppointmentFigures
    previous_appointments: kpis.AppointmentFigures
    emergencies: kpis.EmergencyFigures
    cases: kpis.CaseFigures
    previous_cases: kpis.CaseFigures

    @property
    def has_data(self) -> bool:
        return bool(
            self.visits.visits
            or self.appointments.total.booked
            or self.emergencies.received
            or self.cases.inflow
            or self.cases.backlog
        )


def build(scope: kpis.Scope) -> KpiReport:
    previous = replace(scope, period=scope.period.previous())
    return KpiReport(
        scope=scope,
        previous_scope=previous,
        visits=kpis.visit_figures(scope),
        previous_visits=kpis.visit_figures(previous),
        times=kpis.time_figures(scope),
        appointments=kpis.appointment_figures(scope),
        previous_appointments=kpis.appointment_figures(previous),
        emergencies=kpis.emergency_figures(scope),
        cases=kpis.case_figures(scope),
        previous_cases=kpis.case_figures(previous),
    )


# --- formatting -----------------------------------------------------------------


class Figures:
    """Formats counts and derived values, suppressing small numbers when published."""

    def __init__(self, published: bool):
        self.published = published

    def count(self, value: int):
        if self.published:
            shown = disclosure.count(value)
            return str(shown) if shown.suppressed else value
        return value

    def derived(self, value: float | None, based_on: int, digits: int = 1):
        if value is None:
            return "–"
        if self.published and disclosure.derived(value, based_on).suppressed:
            return str(disclosure.Published(None, True))
        return round(value, digits)

    def percent(self, part: int, whole: int):
        return self.derived(100 * part / whole if whole else None, whole)

    def change(self, now: int, before: int):
        """Change against the previous period in percent (no change figure from nothing)."""
        if not before or (self.published and (0 < now < 5 or before < 5)):
            return "–"
        return round(100 * (now - before) / before, 1)


def priority_label(priority: str) -> str:
    return str(Priority(priority).label) if priority else _("all")


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
        total.visits += row.visits
        total.persons += row.persons
        total.work_items += row.work_items
    return [(label, short, total) for label, (short, total) in grouped.items()]


def tables(report: KpiReport, *, published: bool = False) -> list[Table]:
    f = Figures(published)
    v, pv = report.visits, report.previous_visits
    a, pa = report.appointments, report.previous_appointments
    e, c, pc = report.emergencies, report.cases, report.previous_cases
    now_label = report.scope.period.label()
    before_label = report.previous_scope.period.label()
    compare_columns = [_("Figure"), now_label, before_label, _("Change in %")]

    def compared(label, now, before):
        return [label, f.count(now), f.count(before), f.change(now, before)]

    result = [
        Table(
            _("Visits and work items"),
            compare_columns,
            [
                compared(_("Visits (appearances at the office)"), v.visits, pv.visits),
                compared(_("Persons present"), v.persons, pv.persons),
                compared(_("Work items"), v.work_items, pv.work_items),
                [
                    _("Work items per visit"),
                    f.derived(v.work_items / v.visits if v.visits else None, v.visits, 2),
                    f.derived(pv.work_items / pv.visits if pv.visits else None, pv.visits, 2),
                    "",
                ],
                compared(
                    _("Settled at reception"), v.settled_at_reception, pv.settled_at_reception
                ),
                compared(
                    _("Repeat visits about the same matter"), v.repeat_visits, pv.repeat_visits
                ),
                compared(
                    _("Visits with an interim certificate issued"),
                    v.interim_certificates,
                    pv.interim_certificates,
                ),
            ],
        ),
        Table(
            _("Visits over time"),
            [_("Period"), _("Visits"), _("Persons present"), _("Work items")],
            [
                [label, f.count(row.visits), f.count(row.persons), f.count(row.work_items)]
                for label, _short, row in buckets(v.by_day)
            ],
        ),
        _visit_rows(_("Visits by service"), _("Service"), v.by_service, f),
        _visit_rows(_("Visits by team"), _("Team"), v.by_team, f),
        _visit_rows(_("Visits by location"), _("Location"), v.by_location, f),
        Table(
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
            [
                [
                    priority_label(row.priority),
                    f.count(row.called),
                    f.derived(row.wait_median, row.called),
                    f.derived(row.wait_p90, row.called),
                    f.derived(
                        100 * row.within_target if row.within_target is not None else None,
                        row.called,
                    ),
                    f.count(row.served),
                    f.derived(row.serve_median, row.served),
                    f.derived(row.serve_p90, row.served),
                ]
                for row in report.times
            ],
            note=_(
                "Waiting: from the ticket or check-in to the first call. "
                "Serving: from the start to the end at the counter."
            ),
        ),
        Table(
            _("Appointments"),
            compare_columns,
            [
                [
                    _("Offered (capacity of all channels)"),
                    "–" if a.offered is None else f.count(a.offered),
                    "–" if pa.offered is None else f.count(pa.offered),
                    "–" if a.offered is None else f.change(a.offered, pa.offered or 0),
                ],
                compared(_("Booked"), a.total.booked, pa.total.booked),
                compared(_("Kept (checked in)"), a.total.kept, pa.total.kept),
                compared(_("No-show"), a.total.no_show, pa.total.no_show),
                compared(_("Cancelled"), a.total.cancelled, pa.total.cancelled),
                compared(_("Held online but never confirmed"), a.unconfirmed, pa.unconfirmed),
                [
                    _("No-show rate (%)"),
                    f.percent(a.total.no_show, a.total.booked),
                    f.percent(pa.total.no_show, pa.total.booked),
                    "",
                ],
                [
                    _("Days from booking to appointment, median"),
                    f.derived(a.total.lead_median, a.total.booked),
                    f.derived(pa.total.lead_median, pa.total.booked),
                    "",
                ],
            ],
        ),
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
            [
                [
                    row.label,
                    f.count(row.booked),
                    f.count(row.kept),
                    f.count(row.no_show),
                    f.count(row.cancelled),
                    f.derived(row.lead_median, row.booked),
                ]
                for row in a.by_service
            ],
        ),
        Table(
            _("Emergency requests"),
            [_("Figure"), now_label],
            [
                [_("Received"), f.count(e.received)],
                [_("Accepted"), f.count(e.accepted)],
                [_("Rejected"), f.count(e.rejected)],
                [_("Not yet answered"), f.count(e.open)],
                [_("Hours to the answer, median"), f.derived(e.answer_hours_median, e.received)],
                [
                    _("Hours to the answer, 90th percentile"),
                    f.derived(e.answer_hours_p90, e.received),
                ],
            ],
        ),
        Table(
            _("Cases"),
            compare_columns,
            [
                compared(_("Received"), c.inflow, pc.inflow),
                compared(_("Closed"), c.closed, pc.closed),
                compared(_("Open at the end of the period (backlog)"), c.backlog, pc.backlog),
                compared(_("Of which over the service norm"), c.over_norm, pc.over_norm),
                compared(
                    _("Interim certificates issued"),
                    c.interim_certificates,
                    pc.interim_certificates,
                ),
            ],
            note=_(
                "Case files are kept per team, not per location: these figures cover all locations."
            )
            if report.scope.location_id
            else "",
        ),
        Table(
            _("Backlog by team"),
            [_("Team"), _("Open cases")],
            [[team, f.count(n)] for team, n in c.backlog_by_team],
        ),
        Table(
            _("Backlog by status"),
            [_("Status"), _("Open cases")],
            [[status, f.count(n)] for status, n in c.backlog_by_status],
        ),
        Table(
            _("Age of the open cases"),
            [_("Age"), _("Open cases")],
            [[age_label(low, high), f.count(n)] for (low, high), n in c.age_buckets],
        ),
        Table(
            _("Processing time of closed cases"),
            [_("Case type"), _("Closed"), _("Days, median"), _("Days, 80th percentile")],
            [
                [
                    row.label,
                    f.count(row.closed),
                    f.derived(row.days_median, row.closed),
                    f.derived(row.days_p80, row.closed),
                ]
                for row in c.processing_by_type
            ],
        ),
    ]
    if published:
        for table in result:
            table.note = " ".join(
                filter(None, [table.note, _("Counts from 1 to 4 are shown as “< 5”.")])
            )
    return result


def _visit_rows(title, first_column, rows, f: Figures) -> Table:
    return Table(
        title,
        [first_column, _("Visits"), _("Persons present"), _("Work items")],
        [
            [row.label, f.count(row.visits), f.count(row.persons), f.count(row.work_items)]
            for row in rows
        ],
    )


def age_label(low: int, high: int | None) -> str:
    if high is None:
        return _("%(weeks)d weeks and more") % {"weeks": low // 7}
    return _("%(low)d to under %(high)d weeks") % {"low": low // 7, "high": -(-high // 7)}


# --- the council report's prose -------------------------------------------------


def _number(value) -> str:
    return (
        number_format(value, force_grouping=True) if isinstance(value, int | float) else str(value)
    )


def summary(report: KpiReport, *, published: bool = True) -> list[str]:
    """The findings in sentences, as a council member reads them first."""
    f = Figures(published)
    v, pv, c = report.visits, report.previous_visits, report.cases
    sentences = []
    if not report.has_data:
        return [_("No visits, appointments or cases were recorded in this period.")]
    sentences.append(
        _(
            "In %(period)s, %(visits)s visits by %(persons)s persons produced %(items)s work "
            "items (previous period: %(before_visits)s visits, %(before_items)s work items)."
        )
        % {
            "period": report.scope.period.label(),
            "visits": _number(f.count(v.visits)),
            "persons": _number(f.count(v.persons)),
            "items": _number(f.count(v.work_items)),
            "before_visits": _number(f.count(pv.visits)),
            "before_items": _number(f.count(pv.work_items)),
        }
    )
    everyone = report.times[0]
    if everyone.called:
        sentences.append(
            _(
                "Half of the visitors were called within %(median)s minutes; %(share)s %% "
                "within %(target)d minutes."
            )
            % {
                "median": _number(f.derived(everyone.wait_median, everyone.called, 0)),
                "share": _number(
                    f.derived(100 * (everyone.within_target or 0), everyone.called, 0)
                ),
                "target": kpis.WAIT_TARGET_MINUTES,
            }
        )
    a = report.appointments.total
    if a.booked:
        sentences.append(
            _("%(booked)s appointments were booked, %(kept)s kept and %(no_show)s missed.")
            % {
                "booked": _number(f.count(a.booked)),
                "kept": _number(f.count(a.kept)),
                "no_show": _number(f.count(a.no_show)),
            }
        )
    sentences.append(
        _(
            "%(inflow)s cases were received and %(closed)s closed; %(backlog)s were open at "
            "the end of the period, %(over)s of them longer than their service norm."
        )
        % {
            "inflow": _number(f.count(c.inflow)),
            "closed": _number(f.count(c.closed)),
            "backlog": _number(f.count(c.backlog)),
            "over": _number(f.count(c.over_norm)),
        }
    )
    return sentences


def methods() -> list[str]:
    return [
        _(
            "A visit is one appearance at the office: a checked-in appointment, a walk-in "
            "ticket or a matter settled at reception. It counts the persons present once."
        ),
        _(
            "A work item is one piece of work a visit produced: one per person the work was "
            "for and service performed, whether that person was present or not. A father who "
            "comes for himself and his three children is one visit, one person present and "
            "four work items."
        ),
        _(
            "Waiting time runs from the ticket or check-in to the first call, serving time "
            "from the start to the end at the counter; both come from the recorded call "
            "system events. Medians and percentiles are interpolated."
        ),
        _(
            "Cases are counted from their status history: received at the first status, "
            "closed at the first closing status. The backlog is what was open at the end of "
            "the period."
        ),
        _(
            "Only aggregates are published. Counts from 1 to 4, and figures computed from "
            "fewer than 5 records, are shown as “< 5” so that no person can be identified."
        ),
    ]


def council_pdf(report: KpiReport) -> bytes:
    """The published report as PDF: findings, tables with the previous period, methods."""
    from willkommen.core.pdf import OfficePDF

    title = _("Key figures of the immigration office: %(period)s") % {
        "period": report.scope.period.label()
    }
    pdf = OfficePDF(title, footer_text=title)
    pdf.heading(title)
    pdf.paragraph(
        _("Compared with %(previous)s. Aggregates only; small numbers suppressed.")
        % {"previous": report.previous_scope.period.label()}
    )
    pdf.heading(_("Findings"), size=13)
    for sentence in summary(report):
        pdf.paragraph(sentence)
    for table in tables(report, published=True):
        if not table.rows:
            continue
        pdf.heading(table.title, size=12)
        pdf.set_font("Noto", "", 8)
        with pdf.table(
            text_align=["LEFT", *["RIGHT"] * (len(table.columns) - 1)],
            first_row_as_headings=True,
            line_height=4.5,
        ) as grid:
            for row in [table.columns, *table.rows]:
                cells = grid.row()
                for value in row:
                    cells.cell(_number(value) if isinstance(value, int | float) else str(value))
        if table.note:
            pdf.paragraph(table.note, size=8)
        pdf.ln(2)
    pdf.heading(_("Methods"), size=13)
    for text in methods():
        pdf.paragraph(text)
    return pdf.render()
