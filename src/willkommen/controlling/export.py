"""Tables of figures as CSV (for spreadsheets set to German) and XLSX."""

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


def _plain(value):
    return "" if value is None else str(value) if not isinstance(value, int | float) else value


def to_csv(tables: list[Table]) -> bytes:
    """Semicolon-separated UTF-8 with BOM: opens correctly in a German spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow(
                [str(v).replace(".", ",") if isinstance(v, float) else _plain(v) for v in row]
            )
        if table.note:
            writer.writerow([table.note])
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
        sheet.append(table.columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_plain(v) for v in row])
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        for column in range(1, len(table.columns) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 18
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
