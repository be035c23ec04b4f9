"""The key figures of a period: for the dashboard, the exports and the council report.

One builder (``build``) computes the figures of a scope and of the period before
it; ``layout`` lays them out as tables. Every table is published the same way,
wherever it is shown: small counts withheld, and what it takes that none can be
computed back from the totals (see ``disclosure``), so that no person can be
identified. The council report's sentences quote the very cells of its tables.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from willkommen.complaints.figures import ComplaintFigures, complaint_figures
from willkommen.controlling import kpis, layout
from willkommen.controlling.export import Table
from willkommen.controlling.publishing import text


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
    complaints: ComplaintFigures

    @property
    def has_data(self) -> bool:
        return bool(
            self.visits.visits
            or self.appointments.total.booked
            or self.emergencies.received
            or self.cases.inflow
            or self.cases.backlog
            or self.complaints.counts[("total", "total")]
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
        complaints=complaint_figures(scope.period.start, scope.period.end, scope.team_id),
    )


def tables(report: KpiReport) -> list[Table]:
    """The report's tables as published everywhere (see ``layout`` and ``disclosure``)."""
    return layout.tables(report)[0]


# --- the council report's prose -------------------------------------------------


def summary(report: KpiReport, shown: dict | None = None) -> list[str]:
    """The findings in sentences, as a council member reads them first.

    Every figure is a cell of the published tables (``shown``, by key), written as
    the table writes it.
    """
    if not report.has_data:
        return [_("No visits, appointments or cases were recorded in this period.")]
    if shown is None:
        shown = layout.tables(report)[1].shown

    def figure(*key):
        return text(shown[key])

    sentences = [
        _(
            "In %(period)s, %(visits)s visits by %(persons)s persons produced %(items)s work "
            "items (previous period: %(before_visits)s visits, %(before_items)s work items)."
        )
        % {
            "period": report.scope.period.label(),
            "visits": figure("visits", "now"),
            "persons": figure("persons", "now"),
            "items": figure("work_items", "now"),
            "before_visits": figure("visits", "before"),
            "before_items": figure("work_items", "before"),
        },
        _(
            "%(served)s visits were served at a counter and %(settled)s settled at reception; "
            "%(left)s left unserved (%(persons_left)s persons, %(share)s %% of the persons "
            "present)."
        )
        % {
            "served": figure("visits", "now", "served"),
            "settled": figure("visits", "now", "settled"),
            "left": figure("visits", "now", "left_unserved"),
            "persons_left": figure("persons", "now", "left_unserved"),
            "share": figure("share_left", "now"),
        },
    ]
    if report.times[0].called:
        sentences.append(
            _(
                "Half of the visitors were called within %(median)s minutes; %(share)s %% "
                "within %(target)d minutes."
            )
            % {
                "median": figure("wait", ""),
                "share": figure("within", ""),
                "target": kpis.WAIT_TARGET_MINUTES,
            }
        )
    if report.appointments.total.booked:
        sentences.append(
            _("%(booked)s appointments were booked, %(kept)s kept and %(no_show)s missed.")
            % {
                "booked": figure("appointments", "now", "booked"),
                "kept": figure("appointments", "now", "kept"),
                "no_show": figure("appointments", "now", "no_show"),
            }
        )
    sentences.append(
        _(
            "%(inflow)s cases were received and %(closed)s closed; %(backlog)s were open at "
            "the end of the period, %(over)s of them longer than their service norm."
        )
        % {
            "inflow": figure("cases", "now", "received"),
            "closed": figure("cases", "now", "closed"),
            "backlog": figure("cases", "now", "backlog"),
            "over": figure("cases", "now", "over_norm"),
        }
    )
    if report.complaints.counts[("total", "total")]:
        sentences.append(
            _(
                "%(received)s complaints and messages of praise were received, "
                "%(praise)s of them praise."
            )
            % {
                "received": figure("complaints", "total", "total"),
                "praise": figure("complaints", "praise", "total"),
            }
        )
    # A withheld share would read as a share ("< 5 %"): the sentence only with a figure.
    if isinstance(shown.get(("complaints", "in_time_share")), int | float):
        sentences.append(
            _(
                "%(share)s %% of the complaints answered were answered within the deadline; "
                "half of them within %(median)s days."
            )
            % {
                "share": figure("complaints", "in_time_share"),
                "median": figure("complaints", "median_days"),
            }
        )
    return sentences


def methods() -> list[str]:
    return [
        _(
            "A visit is one appearance at the office: a checked-in appointment, a walk-in "
            "ticket or a matter settled at reception. Every visit counts, with the persons "
            "present, whatever became of it; each visit figure is broken down by what the "
            "call system recorded for it: served at a counter (serving was started), "
            "settled at reception, left unserved (not there when called, or gone before "
            "being called) and still waiting. The four add up to the visits."
        ),
        _(
            "Left unserved is also given as a share of the persons present, by the hour in "
            "which they arrived."
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
            "the period. An interim certificate (Fiktionsbescheinigung) is counted when it "
            "is entered in the case file with its number, on the day it was issued."
        ),
        _(
            "Complaints and praise are counted on the day they were received, by category "
            "and by the team they are about. The deadline is the one the office set "
            "(two weeks by default); a complaint counts as answered within it when its "
            "first answer was sent by then. The days to the first answer run from receipt."
        ),
        _(
            "Only aggregates are published. Counts from 1 to 4, and figures computed from "
            "fewer than 5 records, are shown as “< 5” so that no person can be identified. "
            "Where a table also shows totals, further figures are withheld (“x”) so that no "
            "“< 5” can be computed back from the totals and the other figures."
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
    published, sheet = layout.tables(report)
    for sentence in summary(report, sheet.shown):
        pdf.paragraph(sentence)
    for table in published:
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
                    cells.cell(text(value))
        if table.note:
            pdf.paragraph(table.note, size=8)
        pdf.ln(2)
    pdf.heading(_("Methods"), size=13)
    for paragraph in methods():
        pdf.paragraph(paragraph)
    return pdf.render()
