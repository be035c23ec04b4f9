"""What became of a visit, read from its transitions (ARCHITECTURE invariant 3).

A visit (Vorsprache) is a person at the office: every ticket and every
check-in counts as one, with the persons present. What it came to is told by
the call system's records, not by a flag kept aside:

- *served*: a clerk started serving it (a ``start`` transition), whatever came
  after (finished, or left while on hold after a transfer);
- *settled at reception*: done at the desk (a ``settle`` transition);
- *left unserved*: never served — called and not there (``no_show``), or gone
  before being called (``leave``);
- *still waiting*: none of these yet (only the current day has such visits;
  the end of the day closes them as left or no-show).

The four add up to the visits, and the persons of the four to the persons present.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractHour
from django.utils.translation import gettext_lazy as _

from willkommen.frontdesk.models import VisitTransition
from willkommen.frontdesk.states import Action

SERVED, SETTLED, NO_SHOW, LEFT, WAITING = "served", "settled", "no_show", "left", "waiting"
OUTCOMES = (SERVED, SETTLED, NO_SHOW, LEFT, WAITING)
LEFT_UNSERVED = (NO_SHOW, LEFT)
LABELS = {
    SERVED: _("served at a counter"),
    SETTLED: _("settled at reception"),
    NO_SHOW: _("not there when called"),
    LEFT: _("left before being called"),
    WAITING: _("still waiting"),
}


def _happened(action: str) -> Exists:
    return Exists(VisitTransition.objects.filter(visit=OuterRef("pk"), action=action))


def outcome() -> Case:
    """The outcome of each visit of a queryset, as a database expression."""
    return Case(
        When(_happened(Action.SETTLE), then=Value(SETTLED)),
        When(_happened(Action.START), then=Value(SERVED)),
        When(_happened(Action.NO_SHOW), then=Value(NO_SHOW)),
        When(_happened(Action.LEAVE), then=Value(LEFT)),
        default=Value(WAITING),
        output_field=CharField(),
    )


@dataclass
class Outcomes:
    """Visits (or persons) by what became of them."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))

    def add(self, kind: str, n: int) -> None:
        self.counts[kind] += n

    def __getitem__(self, kind: str) -> int:
        return self.counts[kind]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def left_unserved(self) -> int:
        return sum(self.counts[kind] for kind in LEFT_UNSERVED)


@dataclass
class HourRow:
    hour: int  # local hour of arrival (ticket, check-in or desk)
    persons: int
    left_unserved: int

    @property
    def share(self) -> float | None:
        return self.left_unserved / self.persons if self.persons else None


def left_unserved_by_hour(visits, timezone: str) -> list[HourRow]:
    """Persons present and persons who left unserved, by the local hour they arrived.

    The hour is that of the visit's first transition (ticket, check-in or desk).
    """
    arrived = VisitTransition.objects.filter(
        visit=OuterRef("pk"), action__in=(Action.ISSUE, Action.SETTLE)
    ).order_by("at", "id")
    rows = (
        visits.annotate(
            arrived=Subquery(arrived.values("at")[:1]),
            outcome=outcome(),
        )
        .annotate(hour=ExtractHour("arrived", tzinfo=ZoneInfo(timezone)))
        .values("hour")
        .annotate(
            visits=Count("id"),
            persons=Sum("persons_present"),
            left=Sum("persons_present", filter=Q(outcome__in=LEFT_UNSERVED)),
        )
        .order_by("hour")
    )
    return [
        HourRow(row["hour"], row["persons"] or 0, row["left"] or 0)
        for row in rows
        if row["hour"] is not None
    ]
