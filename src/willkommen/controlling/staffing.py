"""The staffing arithmetic and the import of task times (pure functions, no queries).

FTE needed = Σ (cases × minutes per case) / (annual working minutes × (1 − distributed time)).
"""

import csv
import io
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from willkommen.controlling.models import CountedAs

REQUIRED_COLUMNS = ("code", "name", "minutes_per_case", "source")
# The optional column "counted_as" says which records give the case numbers.
COUNTED_AS = tuple(CountedAs.values)
# Units we recognise in a header and refuse, so hours are never read as minutes.
WRONG_UNITS = ("hours", "stunden", "seconds", "sekunden", "hour", "stunde")
MAX_IMPORT_BYTES = 1_000_000
# The optional column "services" lists service short names, e.g. "blaue-karte-eu | chancenkarte".
SERVICE_SEPARATORS = re.compile(r"[\s|,]+")


class StaffingInputError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class TaskRow:
    code: str
    name: str
    minutes_per_case: Decimal
    source: str
    # Short names of the services whose recorded work items (or cases) count as cases of the task.
    services: tuple[str, ...] = ()
    counted_as: str = CountedAs.WORK_ITEMS


def parse_decimal(text: str) -> Decimal:
    """Accept ``12.5`` and the German ``12,5`` (what a spreadsheet exports here)."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", ".")
    value = Decimal(cleaned)
    if not value.is_finite():
        raise InvalidOperation
    return value


def parse_task_csv(data: bytes) -> list[TaskRow]:
    """Read task times from CSV (comma or semicolon, UTF-8 with or without BOM).

    All problems are collected with their line numbers; any problem means no rows.
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise StaffingInputError([_("The file is larger than 1 MB.")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StaffingInputError(
            [_("The file is not UTF-8 text. Save it as “CSV UTF-8”.")]
        ) from None
    if not text.strip():
        raise StaffingInputError([_("The file is empty.")])
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    wrong_unit = [name for name in header if any(unit in name for unit in WRONG_UNITS)]
    if wrong_unit:
        raise StaffingInputError(
            [_("Times must be given in minutes per case; found the column “%(column)s”.")
             % {"column": wrong_unit[0]}]
        )  # fmt: skip
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise StaffingInputError(
            [_("Missing columns: %(missing)s. Expected: %(expected)s.")
             % {"missing": ", ".join(missing), "expected": ", ".join(REQUIRED_COLUMNS)}]
        )  # fmt: skip
    rows, errors, seen = [], [], set()
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        code = row["code"]
        if not code or not code.replace("-", "").replace("_", "").isalnum():
            errors.append(
                _("Line %(line)d: the code must be letters, digits, - or _.") % {"line": number}
            )
            continue
        if code in seen:
            errors.append(
                _("Line %(line)d: the code “%(code)s” appears twice.")
                % {"line": number, "code": code}
            )
            continue
        seen.add(code)
        try:
            minutes = parse_decimal(row["minutes_per_case"])
        except (InvalidOperation, ValueError):
            errors.append(_("Line %(line)d: “%(value)s” is not a number of minutes.")
                          % {"line": number, "value": row["minutes_per_case"]})  # fmt: skip
            continue
        if not Decimal("0.1") <= minutes <= 10_000:
            errors.append(
                _("Line %(line)d: minutes per case must be between 0.1 and 10,000.")
                % {"line": number}
            )
            continue
        if not row["name"] or not row["source"]:
            errors.append(_("Line %(line)d: name and source are required.") % {"line": number})
            continue
        counted_as = row.get("counted_as", "").lower() or COUNTED_AS[0]
        if counted_as not in COUNTED_AS:
            errors.append(
                _("Line %(line)d: “%(value)s” is not one of %(choices)s.")
                % {"line": number, "value": counted_as, "choices": ", ".join(COUNTED_AS)}
            )
            continue
        rows.append(
            TaskRow(
                code.lower(),
                row["name"][:200],
                minutes.quantize(Decimal("0.1")),
                row["source"][:300],
                tuple(
                    slug.lower()
                    for slug in SERVICE_SEPARATORS.split(row.get("services", ""))
                    if slug
                ),
                counted_as,
            )
        )
    if errors:
        raise StaffingInputError(errors)
    if not rows:
        raise StaffingInputError([_("The file contains no tasks.")])
    return rows


@dataclass(frozen=True)
class StaffingResult:
    required_minutes: Decimal
    available_minutes_per_post: Decimal
    fte_needed: Decimal


def calculate(
    lines: list[tuple[int, Decimal]], annual_working_minutes: int, distributed_time_percent: Decimal
) -> StaffingResult:
    """``lines`` are (cases, minutes per case)."""
    if annual_working_minutes <= 0:
        raise StaffingInputError([_("The annual working minutes must be positive.")])
    if not 0 <= distributed_time_percent < 100:
        raise StaffingInputError([_("Distributed time must be between 0 and 100 percent.")])
    if any(cases < 0 for cases, _minutes in lines):
        raise StaffingInputError([_("Case numbers cannot be negative.")])
    required = sum((Decimal(cases) * minutes for cases, minutes in lines), Decimal(0))
    available = Decimal(annual_working_minutes) * (1 - distributed_time_percent / 100)
    fte = (required / available).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return StaffingResult(
        required.quantize(Decimal("0.1")), available.quantize(Decimal("0.1")), fte
    )
