"""Visits of a past October imported from CSV count on the dashboard like recorded ones."""

import pytest
from django.core.management import CommandError, call_command

from tests.accounts.factories import UserFactory
from tests.imports.conftest import VISIT_HEADER, last_october, october_visits, write_csv
from willkommen.accounts.roles import Role
from willkommen.controlling import kpis, periods, reports
from willkommen.controlling.export import to_csv
from willkommen.frontdesk.models import Visit, VisitTransition, WorkItem
from willkommen.imports import services
from willkommen.imports.models import ImportBatch, ImportedRecord

pytestmark = pytest.mark.django_db


def october_scope():
    first, _last = last_october()
    return kpis.Scope(periods.month(first.year, 10))


def test_an_october_of_visits_comes_out_as_its_figures(office, tmp_path, client):
    path = october_visits(tmp_path / "oktober.csv")
    outcome = services.import_file(path, "visits")
    assert outcome.bad == [] and outcome.written == 1325
    figures = kpis.visit_figures(october_scope())
    assert (figures.visits, figures.work_items) == (1325, 1569)
    assert figures.settled_at_reception == 1325 // 8
    report = reports.build(october_scope())
    assert (report.visits.visits, report.visits.work_items) == (1325, 1569)
    exported = to_csv(reports.tables(report)).decode("utf-8-sig")
    assert "1325" in exported and "1569" in exported
    client.force_login(UserFactory(roles=[Role.CONTROLLER]))
    first, _last = last_october()
    page = client.get("/de/staff/controlling/export.csv", {"kind": "month", "on": first})
    assert page.status_code == 200
    assert "1325" in page.content.decode("utf-8-sig")
    # Every visit walked the table: issue … finish, or settled at reception.
    assert VisitTransition.objects.filter(action="finish").count() == 1325 - 1325 // 8
    assert ImportedRecord.objects.filter(batch=outcome.batch).count() == 1325


def test_the_same_file_twice_imports_nothing_twice(office, tmp_path):
    path = october_visits(tmp_path / "oktober.csv", visits=40, work_items=45)
    first = services.import_file(path, "visits")
    again = services.import_file(path, "visits")
    assert again.already == first.batch and again.written == 0
    assert Visit.objects.count() == 40 and ImportBatch.objects.count() == 1


def test_a_second_file_of_the_same_days_numbers_on(office, tmp_path):
    services.import_file(october_visits(tmp_path / "a.csv", visits=30, work_items=30), "visits")
    other = october_visits(tmp_path / "b.csv", visits=31, work_items=31)
    assert services.import_file(other, "visits").written == 31
    assert Visit.objects.count() == 61


def test_dry_run_checks_everything_and_writes_nothing(office, tmp_path, capsys):
    path = october_visits(tmp_path / "oktober.csv", visits=50, work_items=60)
    call_command("import_history", "visits", str(path), "--dry-run")
    assert "50 of 50 rows valid; would write 50 visits" in capsys.readouterr().out
    assert not Visit.objects.exists() and not ImportBatch.objects.exists()


def test_rollback_removes_the_batch_and_only_it(office, tmp_path, capsys):
    keep = services.import_file(october_visits(tmp_path / "a.csv", 20, 20), "visits")
    gone = services.import_file(october_visits(tmp_path / "b.csv", 30, 35), "visits")
    call_command("import_history", "--rollback", str(gone.batch.pk))
    assert "30 visits removed" in capsys.readouterr().out
    assert Visit.objects.count() == 20 and WorkItem.objects.count() == 20
    assert VisitTransition.objects.filter(visit__in=Visit.objects.all()).count() > 0
    assert list(ImportBatch.objects.all()) == [keep.batch]
    # The file may come again once its batch is gone.
    assert services.import_file(tmp_path / "b.csv", "visits").written == 30


def test_rollback_of_an_unknown_batch_is_a_clear_error(db):
    with pytest.raises(CommandError, match="no import batch 999"):
        call_command("import_history", "--rollback", "999")


def bad_file(tmp_path):
    first, _last = last_october()
    day = first.isoformat()
    good = [day, "08:00", "hauptstelle", "verlaengern", 1, "walk_in", "08:10", "08:12", "08:30", ""]
    rows = [
        good,
        [day, "08:05", "nirgendwo", "verlaengern", 1, "walk_in", "08:10", "08:12", "08:30", ""],
        [day, "8 Uhr", "hauptstelle", "verlaengern", 1, "walk_in", "08:10", "08:12", "08:30", ""],
        [day, "08:20", "hauptstelle", "verlaengern", 1, "walk_in", "08:10", "08:12", "08:30", ""],
        [day, "08:20", "hauptstelle", "verlaengern", 1, "walk_in", "", "", "", ""],
        ["2999-01-01", "08:00", "hauptstelle", "verlaengern", 1, "walk_in", "", "", "", ""],
        good,
    ]
    return write_csv(tmp_path / "kaputt.csv", VISIT_HEADER, rows)


def test_bad_rows_are_reported_with_file_and_line_and_nothing_is_written(office, tmp_path, capsys):
    path = bad_file(tmp_path)
    with pytest.raises(CommandError):
        call_command("import_history", "visits", str(path))
    err = capsys.readouterr().err
    assert "kaputt.csv:3: “location”: “nirgendwo” is not known here." in err
    assert "kaputt.csv:4: “time”: “8 Uhr” is no time of day" in err
    assert "kaputt.csv:5: “called” is before the step before it." in err
    assert "kaputt.csv:6: “called” is empty." in err
    assert "kaputt.csv:7: Only visits of earlier days can be imported." in err
    assert not Visit.objects.exists() and not ImportBatch.objects.exists()


def test_skip_bad_writes_the_good_rows_and_reports_the_rest(office, tmp_path, capsys):
    path = bad_file(tmp_path)
    call_command("import_history", "visits", str(path), "--skip-bad")  # succeeds
    captured = capsys.readouterr()
    assert "2 visits written, 5 bad rows skipped" in captured.out
    assert "kaputt.csv:3:" in captured.err
    assert Visit.objects.count() == 2
    assert ImportBatch.objects.get().rows_skipped == 5


def test_a_file_without_a_needed_column_is_refused(office, tmp_path, capsys):
    path = write_csv(tmp_path / "x.csv", ["day", "time"], [["2025-10-01", "08:00"]])
    with pytest.raises(CommandError):
        call_command("import_history", "visits", str(path))
    assert "Columns missing: location, service, origin" in capsys.readouterr().err
