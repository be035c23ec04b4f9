"""Appointments, cases and interim certificates of the past; an XLSX file."""

from datetime import date
from pathlib import Path

import pytest
from django.utils.timezone import localtime
from openpyxl import Workbook

from tests.imports.conftest import last_october, write_csv
from willkommen.booking.models import Appointment, AppointmentEvent
from willkommen.cases.models import Case, InterimCertificate, StatusChange
from willkommen.controlling import kpis, periods
from willkommen.frontdesk.models import Visit
from willkommen.imports import services

pytestmark = pytest.mark.django_db

APPOINTMENT_HEADER = [
    "id",
    "day",
    "time",
    "location",
    "service",
    "booked_at",
    "outcome",
    "outcome_at",
]


def appointments_file(tmp_path):
    first, _last = last_october()
    day, booked = first.isoformat(), date(first.year, 9, 1).isoformat()
    rows = [
        ["T1", day, "09:00", "hauptstelle", "verlaengern", booked, "kept", f"{day} 08:55"],
        ["T2", day, "09:15", "hauptstelle", "verlaengern", booked, "no_show", ""],
        ["T3", day, "09:30", "hauptstelle", "verlaengern", booked, "cancelled", f"{booked} 12:00"],
        ["T4", day, "09:45", "hauptstelle", "verlaengern", booked, "abgesagt", ""],
    ]
    return write_csv(tmp_path / "termine.csv", APPOINTMENT_HEADER, rows, delimiter=",")


def test_appointments_walk_the_table_and_count_as_kept_missed_cancelled(office, tmp_path):
    outcome = services.import_file(appointments_file(tmp_path), "appointments", skip_bad=True)
    assert [(b.line, b.reason) for b in outcome.bad] == [
        (5, "A cancelled appointment needs “outcome_at”.")
    ]
    assert sorted(Appointment.objects.values_list("status", flat=True)) == [
        "cancelled", "checked_in", "no_show",
    ]  # fmt: skip
    assert AppointmentEvent.objects.filter(action="create", to_status="confirmed").count() == 3
    first, _last = last_october()
    total = kpis.appointment_figures(kpis.Scope(periods.month(first.year, 10))).total
    assert (total.booked, total.kept, total.no_show, total.cancelled) == (3, 1, 1, 1)
    # A visit of a later file keeps the imported appointment, by its old id.
    visits = write_csv(
        tmp_path / "v.csv",
        ["day", "time", "location", "service", "origin", "called", "started", "finished",
         "appointment"],
        [[first.isoformat(), "08:55", "hauptstelle", "verlaengern", "appointment", "09:01",
          "09:02", "09:20", "T1"]],
    )  # fmt: skip
    visit_batch = services.import_file(visits, "visits").batch
    assert Visit.objects.get().appointment.status == "checked_in"
    with pytest.raises(services.ImportRefused, match="visit still refers"):
        services.rollback_batch(outcome.batch.pk)
    services.rollback_batch(visit_batch.pk)
    services.rollback_batch(outcome.batch.pk)
    assert not Appointment.objects.exists() and not AppointmentEvent.objects.exists()


CASE_HEADER = ["reference", "case_type", "received", "statuses", "closed"]


def test_cases_keep_their_history_and_certificates_follow(case_type, tmp_path):
    y = last_october()[0].year
    rows = [
        ["ALT-1", "verlaengern", f"{y}-10-01",
         f"vollstaendig@{y}-10-03|in-pruefung@{y}-10-05|entschieden@{y}-10-15", f"{y}-10-20"],
        ["", "verlaengern", f"01.10.{y} 10:30", "", ""],
        ["ALT-3", "verlaengern", f"{y}-10-02", f"entschieden@{y}-10-03", ""],
        ["ALT-4", "verlaengern", f"{y}-10-02", f"in-pruefung@{y}-10-09|vollstaendig@{y}-10-03", ""],
    ]  # fmt: skip
    path = write_csv(tmp_path / "akten.csv", CASE_HEADER, rows)
    refused = services.import_file(path, "cases")
    assert [b.line for b in refused.bad] == [4, 5] and not Case.objects.exists()
    assert "cannot move" in refused.bad[0].reason
    outcome = services.import_file(path, "cases", skip_bad=True)
    assert outcome.written == 2
    closed = Case.objects.get(reference="ALT-1")
    assert closed.status.code == "abgeschlossen" and localtime(closed.closed_at).date() == date(
        y, 10, 20
    )
    assert localtime(closed.completed_at).date() == date(y, 10, 3) and closed.source == "import"
    assert list(closed.history.values_list("status__code", flat=True)) == [
        "eingegangen", "vollstaendig", "in-pruefung", "entschieden", "abgeschlossen",
    ]  # fmt: skip
    new = Case.objects.exclude(reference="ALT-1").get()
    assert new.reference.startswith(f"ABH-{y}-") and new.closed_at is None
    figures = kpis.case_figures(kpis.Scope(periods.month(y, 10)))
    assert (figures.inflow, figures.closed) == (2, 1)

    certificates = write_csv(
        tmp_path / "fb.csv",
        ["case", "number", "issued_on", "valid_until"],
        [["ALT-1", "FB-1", f"{y}-10-10", f"{y + 1}-01-10"], ["NIX", "FB-2", f"{y}-10-10", ""]],
    )
    certs = services.import_file(certificates, "certificates", skip_bad=True)
    assert certs.written == 1 and "no case has the reference “NIX”" in certs.bad[0].reason
    assert InterimCertificate.objects.get().case == closed
    services.rollback_batch(certs.batch.pk)
    services.rollback_batch(outcome.batch.pk)
    assert not Case.objects.exists() and not StatusChange.objects.exists()


def test_an_xlsx_file_reads_like_csv(office, tmp_path):
    first, _last = last_october()
    book = Workbook()
    sheet = book.active
    sheet.append(["Day", "Time", "Location", "Service", "Origin", "Work_items"])
    sheet.append([first, "08:00", "hauptstelle", "abholung", "Rezeption", "abholung:3"])
    book.save(tmp_path / "besuche.xlsx")
    outcome = services.import_file(tmp_path / "besuche.xlsx", "visits")
    assert outcome.bad == [] and outcome.written == 1
    figures = kpis.visit_figures(kpis.Scope(periods.month(first.year, 10)))
    assert (figures.visits, figures.work_items) == (1, 3)


EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import-examples"


def test_the_documented_example_files_import(case_type, tmp_path):
    """docs/import-examples, in the documented order: every row is good."""
    for kind in ("appointments", "visits", "cases", "certificates"):
        outcome = services.import_file(EXAMPLES / f"{kind}.csv", kind)
        assert outcome.bad == [] and outcome.written == outcome.rows_read > 0, kind
    figures = kpis.visit_figures(kpis.Scope(periods.month(2025, 10)))
    assert (figures.visits, figures.work_items) == (6, 9)  # 1 + 4 + 2 + 1 + 1 + 0
    assert Visit.objects.get(appointment__isnull=False).appointment.status == "checked_in"
