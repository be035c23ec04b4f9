"""Key figures (Kennzahlen) of the office, computed from what the apps recorded.

Every figure here is derived from the append-only records the other apps keep
(ARCHITECTURE invariant 3): visit transitions and work items (frontdesk),
appointment and emergency-request events and slots (booking), status histories
and interim certificates (cases). Nothing is counted aside, so a figure can
always be traced back to the rows it came from, and recomputed for any period.

A ``Scope`` says what to look at: a period of local days and, optionally, one
location, team or service. Days are the location's days (invariant 7); without
a location, the office's time zone (``OFFICE_TIME_ZONE``).

The figures live in one module per source of records (``visits``, ``bookings``,
``cases``, ``arrivals``); this package is their one entry point.
"""

from willkommen.controlling.kpis.arrivals import ArrivalProfile, arrival_profile
from willkommen.controlling.kpis.bookings import (
    AppointmentFigures,
    AppointmentRow,
    EmergencyFigures,
    NextFree,
    appointment_figures,
    emergency_figures,
    next_free_appointments,
)
from willkommen.controlling.kpis.cases import CaseFigures, CaseTypeRow, case_figures
from willkommen.controlling.kpis.scope import (
    AGE_BUCKETS_DAYS,
    OFFICE_TIMEZONE,
    WAIT_TARGET_MINUTES,
    Scope,
    quantile,
    share,
)
from willkommen.controlling.kpis.visits import (
    TimeRow,
    VisitFigures,
    VisitRow,
    first_recorded_day,
    time_figures,
    visit_durations,
    visit_figures,
    visits_in,
    work_items_by_service,
)

__all__ = [
    "AGE_BUCKETS_DAYS",
    "OFFICE_TIMEZONE",
    "WAIT_TARGET_MINUTES",
    "AppointmentFigures",
    "AppointmentRow",
    "ArrivalProfile",
    "CaseFigures",
    "CaseTypeRow",
    "EmergencyFigures",
    "NextFree",
    "Scope",
    "TimeRow",
    "VisitFigures",
    "VisitRow",
    "appointment_figures",
    "arrival_profile",
    "case_figures",
    "emergency_figures",
    "first_recorded_day",
    "next_free_appointments",
    "quantile",
    "share",
    "time_figures",
    "visit_durations",
    "visit_figures",
    "visits_in",
    "work_items_by_service",
]
