"""Appointments of the past (booked, then kept, missed or cancelled), written through
booking's bulk variant."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from willkommen.booking import services as booking
from willkommen.booking.models import Appointment
from willkommen.booking.models.capacity import Channel
from willkommen.booking.services import Applicant, PastAppointment
from willkommen.booking.states import Action
from willkommen.catalog.models import Location, Service
from willkommen.core import clock
from willkommen.imports import fields
from willkommen.imports.fields import RowError
from willkommen.imports.kinds import Parsed

OUTCOMES = {
    "kept": Action.CHECK_IN,
    "wahrgenommen": Action.CHECK_IN,
    "no_show": Action.NO_SHOW,
    "nicht_erschienen": Action.NO_SHOW,
    "cancelled": Action.CANCEL,
    "abgesagt": Action.CANCEL,
}
CHANNELS = {"online": Channel.ONLINE, "staff": Channel.STAFF, "emergency": Channel.EMERGENCY}


class AppointmentRows:
    model = Appointment
    required = ("day", "time", "location", "service", "booked_at", "outcome")
    optional = ("id", "duration", "persons", "channel", "outcome_at", "name")

    def __init__(self, actor):
        self.actor = actor
        self.locations = {loc.slug: loc for loc in Location.objects.all()}
        self.services = {s.slug: s for s in Service.objects.all()}
        self.now = clock.now()

    def parse(self, row) -> Parsed:
        values = row.values
        location = fields.known(self.locations, fields.required(values, "location"), "location")
        service = fields.known(self.services, fields.required(values, "service"), "service")
        tz = ZoneInfo(location.timezone)
        starts_at = fields.moment(
            {"day": f"{values.get('day', '')} {values.get('time', '')}"}, "day", tz
        )
        minutes = fields.number(values, "duration", service.duration_minutes or 15, low=1, high=600)
        ends_at = starts_at + timedelta(minutes=minutes)
        if ends_at > self.now:
            raise RowError(_("Only appointments of the past can be imported."))
        booked_at = fields.moment(values, "booked_at", tz)
        if booked_at > starts_at:
            raise RowError(_("“booked_at” is after the appointment."))
        action = fields.choice(values, "outcome", OUTCOMES)
        outcome_at = fields.moment(values, "outcome_at", tz, optional=True)
        if action == Action.CANCEL and outcome_at is None:
            raise RowError(_("A cancelled appointment needs “outcome_at”."))
        default = starts_at if action == Action.CHECK_IN else ends_at
        at = outcome_at or default
        if at < booked_at:
            raise RowError(_("“outcome_at” is before “booked_at”."))
        name = values.get("name", "")[:150]
        appointment = Appointment(
            location=location,
            service=service,
            persons=fields.number(values, "persons", 1, low=1, high=20),
            starts_at=starts_at,
            ends_at=ends_at,
            channel=fields.choice(values, "channel", CHANNELS, default=Channel.STAFF),
            applicant_name=name,
            person_key=booking.person_key(Applicant(name=name or values.get("id", ""))),
            created_at=booked_at,
        )
        return Parsed(
            row.line, PastAppointment(appointment, [(action, at)], self.actor), values.get("id", "")
        )

    def write(self, parsed: list[Parsed]) -> list[Appointment]:
        booking.record_past_appointments([p.entry for p in parsed])
        return [p.entry.appointment for p in parsed]

    def remove(self, appointments) -> int:
        return booking.remove_past_appointments(appointments)
