"""The tables of appointments and emergency requests (see ``layout``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from willkommen.controlling import kpis
from willkommen.controlling.export import Table
from willkommen.controlling.publishing import Sheet

if TYPE_CHECKING:
    from willkommen.controlling.reports import KpiReport


def appointment_tables(sheet: Sheet, report: KpiReport, compare_columns) -> list[Table]:
    a, pa = report.appointments, report.previous_appointments

    def compared(label, name, now, before):
        return sheet.compared(label, ("appointments", name), now, before)

    def rate(total, period):
        return sheet.derived(
            100 * total.no_show / total.booked if total.booked else None,
            based_on=total.booked,
            reveals=[("appointments", period, "booked"), ("appointments", period, "no_show")],
        )

    offered = (
        ["–", "–", "–"]
        if a.offered is None
        else sheet.compared("", ("appointments", "offered"), a.offered, pa.offered or 0)[1:]
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


def emergency_table(sheet: Sheet, e: kpis.EmergencyFigures, now_label: str) -> Table:
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
