"""Reading an export of the earlier system: CSV (comma, semicolon or tab; UTF-8 with or
without BOM, or Windows-1252) and XLSX (the first sheet), as numbered rows of text."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _


class FileError(ValueError):
    """The file as a whole cannot be read (no header, unknown format, missing columns)."""


@dataclass
class Row:
    line: int  # as a spreadsheet numbers it: the header is line 1
    values: dict[str, str]


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_rows(path: Path) -> tuple[list[str], list[Row]]:
    """The header and every non-empty row under it; column names lower case, trimmed."""
    if path.suffix.lower() == ".xlsx":
        table = _xlsx(path)
    elif path.suffix.lower() in (".csv", ".txt"):
        table = _csv(path)
    else:
        raise FileError(_("Only .csv and .xlsx files can be imported."))
    if not table:
        raise FileError(_("The file is empty."))
    header = [name.strip().lower() for name in table[0]]
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        # A short row (trailing empty cells left out) reads as empty cells.
        cells = cells + [""] * (len(header) - len(cells))
        rows.append(
            Row(
                line,
                {
                    name: value.strip()
                    for name, value in zip(header, cells[: len(header)], strict=True)
                },
            )
        )
    return header, rows


def _text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Windows programs export in their code page.
        return data.decode("cp1252")


def _csv(path: Path) -> list[list[str]]:
    text = _text(path)
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return list(reader)


def _xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise FileError(_("The XLSX file cannot be read: %(error)s") % {"error": error}) from None
    sheet = workbook.worksheets[0]
    table = [[_cell(value) for value in cells] for cells in sheet.iter_rows(values_only=True)]
    workbook.close()
    return table


def _cell(value) -> str:
    """A spreadsheet cell as the text a CSV export would have had."""
    if value is None:
        return ""
    if hasattr(value, "hour") and hasattr(value, "year"):  # a datetime
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if hasattr(value, "hour"):  # a time
        return value.strftime("%H:%M")
    if hasattr(value, "year"):  # a date
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
