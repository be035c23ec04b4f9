import csv
from datetime import date, timedelta

import pytest

from tests.cases.factories import make_case_type
from tests.frontdesk.conftest import office  # noqa: F401 - a fixture
from willkommen.core import clock


def last_october() -> tuple[date, date]:
    """The latest October that is wholly past (its figures are final)."""
    today = clock.office_today()
    year = today.year if today.month > 10 else today.year - 1
    return date(year, 10, 1), date(year, 10, 31)


def write_csv(path, header, rows, delimiter=";"):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


VISIT_HEADER = [
    "day", "time", "location", "service", "persons_present", "origin",
    "called", "started", "finished", "work_items",
]  # fmt: skip


def october_visits(path, visits=1325, work_items=1569):
    """``visits`` visits on the office days of last October producing ``work_items``:
    every eighth is settled at reception, the first (work_items - visits) are families."""
    first, last = last_october()
    days = [first + timedelta(n) for n in range((last - first).days + 1)]
    days = [d for d in days if d.weekday() < 5]
    extra = work_items - visits
    rows = []
    for n in range(visits):
        on = days[n % len(days)]
        minute = 7 * 60 + 30 + (n // len(days)) * 4
        hhmm = f"{minute // 60:02d}:{minute % 60:02d}"
        later = [f"{(minute + k) // 60:02d}:{(minute + k) % 60:02d}" for k in (20, 22, 35)]
        work = "verlaengern:1|blaue-karte:1" if n < extra else ""
        if n % 8 == 7:
            rows.append(
                [on.isoformat(), hhmm, "hauptstelle", "abholung", 1, "reception", "", "", "", work]
            )
        else:
            origin = "walk_in" if n % 3 else "appointment"
            persons = 2 if n < extra else 1
            day = on.strftime("%d.%m.%Y")
            rows.append([day, hhmm, "hauptstelle", "verlaengern", persons, origin, *later, work])
    return write_csv(path, VISIT_HEADER, rows)


@pytest.fixture
def case_type(office):  # noqa: F811
    return make_case_type(office["extend"], team=office["family"])


@pytest.fixture(autouse=True)
def english_messages():
    """The tests match the English messages (staff see them in German)."""
    from django.utils import translation

    with translation.override("en"):
        yield
