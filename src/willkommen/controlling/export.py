"""Tables of figures as CSV (for spreadsheets set to German) and XLSX.

Every text cell is neutralised (``neutralise``): a service, team or status name
that starts like a formula is shown as text, never calculated.
"""

import csv
import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    section: str = ""  # where the dashboard shows it
    key: str = ""  # for the code that looks a table up (the dashboard's charts)


# A text cell starting with one of these is read as a formula by spreadsheets (OWASP
# "CSV injection"); tab and carriage return hide such a start from the eye.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A text cell a spreadsheet shows as text, never runs: a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _plain(value):
    """Numbers stay numbers (a negative change is no formula); text is neutralised."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return neutralise(str(value))


def to_csv(tables: list[Table]) -> bytes:
    """Semicolon-separated UTF-8 with BOM: opens correctly in a German spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([_plain(table.title)])
        writer.writerow([_plain(column) for column in table.columns])
        for row in table.rows:
            writer.writerow(
                [str(v).replace(".", ",") if isinstance(v, float) else _plain(v) for v in row]
            )
        if table.note:
            writer.writerow([_plain(table.note)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(tables: list[Table]) -> bytes:
    """One sheet per table, numbers as numbers, a bold header row."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for table in tables:
        name = "".join(c for c in table.title if c not in "[]:*?/\\")[:31] or "Tabelle"
        while name in used:
            name = name[:28] + f"_{len(used)}"
        used.add(name)
        sheet = workbook.create_sheet(name)
        sheet.append([_plain(column) for column in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_plain(v) for v in row])
        if table.note:
            sheet.append([])
            sheet.append([_plain(table.note)])
        for column in range(1, len(table.columns) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
