"""Every published table — dashboard, council report as page and PDF, CSV, XLSX — attacked.

The tables are read back from what the office hands out (HTML, CSV, XLSX; the
PDF must print the same cells), and the sums a reader knows they have are
worked through with the subtraction attacker of ``test_disclosure``: no "< 5"
comes back.
"""

import csv
import io
from html.parser import HTMLParser

import pytest
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.accounts.factories import UserFactory
from tests.controlling.conftest import DAY
from tests.controlling.test_disclosure import narrowed, recovered_by_subtraction
from willkommen.accounts.roles import Role
from willkommen.controlling import kpis, layout, periods, reports
from willkommen.controlling.publishing import text
from willkommen.core import disclosure

pytestmark = pytest.mark.django_db

DASHBOARD = "/de/staff/controlling/"
QUERY = {"kind": "day", "on": DAY.isoformat()}
MARKS = (disclosure.SMALL, disclosure.WITHHELD)


class Tables(HTMLParser):
    """{caption: [[cell text, …], …]} of every <table> of a page."""

    def __init__(self):
        super().__init__()
        self.tables, self.row, self.text, self.caption = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "caption" or tag in ("td", "th"):
            self.text = ""
        elif tag == "tr":
            self.row = []

    def handle_data(self, data):
        if self.text is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "caption":
            self.caption, self.text = self.text.strip(), None
            self.tables[self.caption] = []
        elif tag in ("td", "th") and self.row is not None:
            self.row.append(self.text.strip())
            self.text = None
        elif tag == "tr" and self.caption is not None:
            self.tables[self.caption].append(self.row)
            self.row = None


def value(cell):
    """A shown cell as a reader takes it: a number, a mark, or nothing."""
    if isinstance(cell, int | float) or cell in MARKS:
        return cell
    if cell in ("", "–", None):
        return None
    number = str(cell).replace(".", "").replace(",", ".")
    try:
        return float(number) if "." in number else int(number)
    except ValueError:
        return cell


def from_html(page: str) -> dict:
    parser = Tables()
    parser.feed(page)
    return {
        title: [[value(c) for c in row] for row in rows[1:]]
        for title, rows in parser.tables.items()
    }


def from_csv(data: bytes) -> dict:
    tables, current, width = {}, None, 0
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"):
        if not row:
            current = None
        elif current is None and len(row) == 1 and row[0] not in tables:
            current = row[0]
            tables[current], width = [], 0
        elif not width:
            width = len(row)
        elif len(row) == width:
            tables[current].append([value(c) for c in row])
    return tables


def from_xlsx(data: bytes, titles: list[str]) -> dict:
    """One sheet per table, in order: the header, the rows, an empty row, the note."""
    tables = {}
    for title, sheet in zip(titles, load_workbook(io.BytesIO(data)).worksheets, strict=True):
        tables[title] = []
        for row in sheet.iter_rows(min_row=2, values_only=True):
            if all(cell is None for cell in row):
                break
            tables[title].append([value(cell) for cell in row])
    return tables


def identities(tables: dict, titles: list[str]) -> tuple[dict, list]:
    """Cells keyed (table, row, column) and the sums a reader knows the tables to have."""
    cells = {
        (t, r, c): cell
        for t, title in enumerate(titles)
        for r, row in enumerate(tables.get(title, []))
        for c, cell in enumerate(row)
        if isinstance(cell, int | float) or cell in MARKS
    }
    sums = []

    def add(total, parts):
        if total in cells and all(p in cells for p in parts):
            sums.append((total, tuple(parts)))

    def column(t, c):
        return [(t, r, c) for r in range(len(tables.get(titles[t], [])))]

    main = 0
    for c in (1, 2):  # this period and the one before
        add((main, 0, c), [(main, r, c) for r in (1, 2, 3, 6)])  # visits = the breakdown
        add((main, 3, c), [(main, 4, c), (main, 5, c)])  # left unserved = no-show + left
    add((main, 7, 1), column(1, 1))  # persons by hour
    add((main, 8, 1), column(1, 2))  # persons left unserved by hour
    for t in (2, 3, 4, 5):  # over time, by service, team, location
        for r in range(len(tables.get(titles[t], []))):
            add((t, r, 1), [(t, r, c) for c in (2, 3, 4, 5)])
        for c, main_row in ((1, 0), (2, 1), (3, 2), (4, 3), (5, 6), (6, 7), (7, 10)):
            add((main, main_row, 1), column(t, c))
    times = tables.get(titles[6], [])
    for c in (1, 5):  # called, served: "all" is the sum of the priorities
        add((6, 0, c), [(6, r, c) for r in range(1, len(times))])
    for c in range(1, 5):  # appointments by service add up to the appointments
        add((7, c, 1), column(8, c))
    add((9, 0, 1), [(9, 1, 1), (9, 2, 1), (9, 3, 1)])  # received = accepted + rejected + open
    for t in (11, 12, 13):
        add((10, 2, 1), column(t, 1))  # the backlog by team, status and age
    add((10, 1, 1), column(14, 1))  # closed by case type
    return cells, sums


def assert_nothing_recovered(tables: dict, titles: list[str]) -> None:
    cells, sums = identities(tables, titles)
    assert sums, "the attacker found no sums to work with"
    assert recovered_by_subtraction(cells, sums) == []
    assert narrowed(cells, sums) == []


@pytest.fixture
def published(client, busy_day, unserved_extra):
    client.force_login(UserFactory(roles=[Role.CONTROLLER]))
    with translation.override("de"):
        report = reports.build(kpis.Scope(periods.day(DAY)))
        tables, _sheet = layout.tables(report)
    return {
        "titles": [table.title for table in tables],
        "tables": {
            table.title: [[value(c) for c in row] for row in table.rows] for table in tables
        },
        "raw": {table.title: table.rows for table in tables},
        "dashboard": client.get(DASHBOARD, QUERY).content.decode(),
        "report": client.get(DASHBOARD + "report/", QUERY).content.decode(),
        "csv": client.get(DASHBOARD + "export.csv", QUERY).content,
        "xlsx": client.get(DASHBOARD + "export.xlsx", QUERY).content,
        "pdf": client.get(DASHBOARD + "report.pdf", QUERY).content,
    }


@pytest.fixture
def unserved_extra(busy_day, clock):
    """Two Blue Card tickets still waiting: a "< 5" in the column "still waiting"."""
    from willkommen.frontdesk import services as frontdesk

    reception = UserFactory(roles=[Role.RECEPTION])
    for hhmm in ("12:30", "12:40"):
        clock.at(hhmm)
        frontdesk.issue_ticket(
            location=busy_day["location"], service=busy_day["blue_card"], persons_present=1,
            actor=reception,
        )  # fmt: skip


def test_the_day_has_small_counts_to_protect(published):
    main = published["tables"][published["titles"][0]]
    assert main[4][1] == disclosure.SMALL  # 3 not there when called
    assert main[6][1] == disclosure.SMALL  # 2 still waiting
    assert any(disclosure.WITHHELD in row for row in main)


@pytest.mark.parametrize("where", ["dashboard", "report"])
def test_no_small_count_comes_back_from_a_page(published, where):
    tables = from_html(published[where])
    titles = published["titles"]
    shown = [title for title in titles if published["tables"][title]]
    assert all(tables[title] == published["tables"][title] for title in shown)
    assert_nothing_recovered(tables, titles)


def test_no_small_count_comes_back_from_the_csv(published):
    tables = from_csv(published["csv"])
    assert tables == published["tables"]
    assert_nothing_recovered(tables, published["titles"])


def test_no_small_count_comes_back_from_the_xlsx(published):
    tables = from_xlsx(published["xlsx"], published["titles"])
    for title, rows in published["tables"].items():
        assert tables[title] == rows, title
    assert_nothing_recovered(tables, published["titles"])


def test_the_pdf_prints_the_published_cells(published):
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(published["pdf"])).pages)
    words = " ".join(pdf.split())
    with translation.override("de"):
        for title, rows in published["raw"].items():
            for row in rows:
                line = " ".join(filter(None, (text(cell) for cell in row[1:])))
                assert line in words, (title, row)


def test_rounded_figures_read_the_same_everywhere(published):
    """One function writes a figure: the sentence quotes the table's cell, to the digit."""
    times = published["tables"][published["titles"][6]]
    median = times[0][2]
    assert isinstance(median, float)
    with translation.override("de"):
        written = text(median)
    assert f"innerhalb von {written} Minuten aufgerufen" in published["report"]
    assert (
        f'<td class="kern-table__cell kern-table__cell--numeric">{written}</td>'
        in published["dashboard"]
    )
    assert written in " ".join(
        PdfReader(io.BytesIO(published["pdf"])).pages[0].extract_text().split()
    )


def test_one_way_to_write_a_figure():
    with translation.override("de"):
        assert (text(7.2), text(1325), text(0.5), text("< 5")) == ("7,2", "1.325", "0,5", "< 5")
    with translation.override("en"):
        assert (text(7.2), text(1325)) == ("7.2", "1,325")
