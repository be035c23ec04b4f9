"""Visits (Vorsprachen) of past days, written through frontdesk's bulk variant.

One row is one visit: day, arrival time, location, service, persons present, origin,
the times it was called, started and finished, and its work items per service.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from willkommen.booking.models import Appointment
from willkommen.catalog.models import Location, Service
from willkommen.core import clock
from willkommen.frontdesk import services as frontdesk
from willkommen.frontdesk.models import Origin, Priority, Visit
from willkommen.frontdesk.services import PastVisit, WorkItemLine
from willkommen.frontdesk.states import Action
from willkommen.imports import fields
from willkommen.imports.fields import RowError
from willkommen.imports.kinds import Parsed
from willkommen.imports.models import ImportedRecord

ORIGINS = {
    "appointment": Origin.APPOINTMENT,
    "termin": Origin.APPOINTMENT,
    "walk_in": Origin.WALK_IN,
    "walk-in": Origin.WALK_IN,
    "spontan": Origin.WALK_IN,
    "reception": Origin.RECEPTION,
    "rezeption": Origin.RECEPTION,
}
OUTCOMES = {"done": "done", "erledigt": "done", "left": "left", "gegangen": "left"}
OUTCOMES |= {"no_show": "no_show", "nicht_erschienen": "no_show"}


class VisitRows:
    model = Visit
    required = ("day", "time", "location", "service", "origin")
    optional = (
        "persons_present",
        "called",
        "started",
        "finished",
        "outcome",
        "work_items",
        "emergency",
        "emergency_reason",
        "interim_certificate",
        "repeat_visit",
        "appointment",
        "id",
    )

    def __init__(self, actor):
        self.actor = actor
        self.locations = {loc.slug: loc for loc in Location.objects.all()}
        self.services = {s.slug: s for s in Service.objects.select_related("category")}
        self.today = {slug: clock.local_today(loc.timezone) for slug, loc in self.locations.items()}
        self._appointments: dict[str, int] | None = None
        self.linked: set[int] = set()

    def parse(self, row) -> Parsed:
        values = row.values
        location = fields.known(self.locations, fields.required(values, "location"), "location")
        service = fields.known(self.services, fields.required(values, "service"), "service")
        if not service.team_id:
            raise RowError(_("The service “%(s)s” has no team to queue for.") % {"s": service.slug})
        on = fields.day(values, "day")
        if on >= self.today[location.slug]:
            raise RowError(_("Only visits of earlier days can be imported."))
        tz = ZoneInfo(location.timezone)
        arrived = datetime.combine(on, fields.clock_time(values, "time"), tzinfo=tz)
        origin = fields.choice(values, "origin", ORIGINS)
        persons = fields.number(values, "persons_present", 1, low=1, high=20)
        emergency = fields.flag(values, "emergency")
        reason = values.get("emergency_reason", "")[:300]
        if emergency and not reason:
            raise RowError(_("An emergency visit needs “emergency_reason”."))
        priority = Priority.EMERGENCY if emergency else Priority.WALK_IN
        if origin == Origin.APPOINTMENT and not emergency:
            priority = Priority.APPOINTMENT
        outcome = fields.choice(values, "outcome", OUTCOMES, default="done")
        steps = self._steps(values, origin, outcome, on, tz, arrived)
        visit = Visit(
            location=location,
            service_day=on,
            service=service,
            team_id=service.team_id,
            origin=origin,
            appointment_id=self._appointment(values),
            priority=priority,
            emergency_reason=reason if emergency else "",
            persons_present=persons,
            created_at=arrived,
            queued_at=arrived,
            clerk=self.actor if outcome != "left" else None,
            interim_certificate=fields.flag(values, "interim_certificate"),
            repeat_visit=fields.flag(values, "repeat_visit"),
        )
        work = self._work(values, service, persons, outcome)
        entry = PastVisit(visit, steps, work, actor=self.actor)
        return Parsed(row.line, entry, values.get("id", ""))

    def _steps(self, values, origin, outcome, on, tz, arrived) -> list[tuple[str, datetime]]:
        """What happened to the visit, as the transition table's actions with their times."""
        if origin == Origin.RECEPTION:
            return [(Action.SETTLE, arrived)]
        times = {
            column: fields.clock_time(values, column, optional=True)
            for column in ("called", "started", "finished")
        }
        at = {c: datetime.combine(on, t, tzinfo=tz) for c, t in times.items() if t}
        if outcome == "left":
            return [(Action.ISSUE, arrived), (Action.LEAVE, at.get("finished", arrived))]
        if outcome == "no_show":
            steps = [("called", Action.CALL), ("finished", Action.NO_SHOW)]
        else:
            steps = [
                ("called", Action.CALL),
                ("started", Action.START),
                ("finished", Action.FINISH),
            ]
        walked, previous = [(Action.ISSUE, arrived)], arrived
        for column, action in steps:
            if column not in at:
                raise RowError(_("“%(column)s” is empty.") % {"column": column})
            if at[column] < previous:
                raise RowError(_("“%(column)s” is before the step before it.") % {"column": column})
            walked.append((action, at[column]))
            previous = at[column]
        return walked

    def _work(self, values, service, persons, outcome) -> list[WorkItemLine]:
        """Work items per service (``slug:count|slug``); the first ``persons`` were present."""
        text = values.get("work_items", "")
        if outcome != "done":
            if text:
                raise RowError(_("A visit that was not served has no work items."))
            return []
        counts = [(service.slug, "1")] if not text else fields.pairs(text, "work_items", ":")
        lines = []
        for slug, count in counts:
            done = fields.known(self.services, slug, "work_items")
            for _n in range(fields.number({"work_items": count}, "work_items", 1, low=1, high=50)):
                index = len(lines) + 1
                lines.append(WorkItemLine(done, _("Person %(n)d") % {"n": index}, index <= persons))
        return lines

    def _appointment(self, values) -> int | None:
        """The imported appointment (by its key in the earlier system) this visit kept."""
        key = values.get("appointment", "")
        if not key:
            return None
        if self._appointments is None:
            self._appointments = dict(
                ImportedRecord.objects.filter(
                    content_type=ContentType.objects.get_for_model(Appointment)
                ).values_list("source_key", "object_id")
            )
            self.linked = set(
                Visit.objects.filter(appointment_id__in=self._appointments.values()).values_list(
                    "appointment_id", flat=True
                )
            )
        appointment_id = fields.known(self._appointments, key, "appointment")
        if appointment_id in self.linked:
            raise RowError(_("Another visit already kept this appointment."))
        self.linked.add(appointment_id)
        return appointment_id

    def write(self, parsed: list[Parsed]) -> list[Visit]:
        frontdesk.record_past_visits([p.entry for p in parsed])
        return [p.entry.visit for p in parsed]

    def remove(self, visits) -> int:
        return frontdesk.remove_past_visits(visits)
