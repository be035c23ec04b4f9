"""Booking: capacity rules and slots, appointments and their history, emergency requests."""

from willkommen.booking.models.appointments import (
    REFERENCE_PREFIX,
    Appointment,
    AppointmentEvent,
    PreparationTask,
    SlotBooking,
)
from willkommen.booking.models.capacity import (
    BookingPolicy,
    Channel,
    Closure,
    OpeningRule,
    ReleaseStage,
    ServiceBookingRule,
    Slot,
)
from willkommen.booking.models.emergency import EmergencyReason, EmergencyRequest, RequestEvent
from willkommen.booking.models.windows import AllocationRule, RequestWindow, WindowRegistration
from willkommen.booking.states import Status

__all__ = [
    "REFERENCE_PREFIX",
    "AllocationRule",
    "Appointment",
    "AppointmentEvent",
    "BookingPolicy",
    "Channel",
    "Closure",
    "EmergencyReason",
    "EmergencyRequest",
    "OpeningRule",
    "PreparationTask",
    "ReleaseStage",
    "RequestEvent",
    "RequestWindow",
    "ServiceBookingRule",
    "Slot",
    "SlotBooking",
    "Status",
    "WindowRegistration",
]
