"""The writes of booking: one function per use case, each in one transaction.

- ``slots``: the slot rows made to match the opening rules;
- ``ledger``: taking and giving back capacity (invariant 1);
- ``transitions``: every status write, through the state tables, with its event;
- ``applicants``: who books, and the rules a request must meet;
- ``appointments``: book, confirm, cancel, rebook, check in, no-show, reminders;
- ``holds``: holds nobody confirmed in time;
- ``history``: the bulk variant for appointments of the past (imports), and its undo;
- ``emergency``, ``windows``, ``staff``: emergency requests, request windows, the day plan.

Other apps and the views call the use cases re-exported here.
"""

from willkommen.booking import capacity
from willkommen.booking.errors import InvalidRequest, TooEarly, WrongDay
from willkommen.booking.services.applicants import Applicant, person_key
from willkommen.booking.services.appointments import (
    appointment_for_link,
    book,
    cancel,
    check_in,
    confirm,
    queue_reminders,
    rebook,
    record_no_show,
)
from willkommen.booking.services.emergency import (
    accept_emergency_request,
    reject_emergency_request,
    submit_emergency_request,
)
from willkommen.booking.services.history import (
    PastAppointment,
    record_past_appointments,
    remove_past_appointments,
)
from willkommen.booking.services.holds import expire_due_holds
from willkommen.booking.services.ledger import return_due_capacity, slot_chain
from willkommen.booking.services.slots import (
    desired_slots,
    materialise_all_locations,
    materialise_slots,
)
from willkommen.booking.services.staff import (
    add_preparation_task,
    plan_appointment,
    set_preparation_task_done,
)
from willkommen.booking.services.windows import (
    allocate_closed_windows,
    allocate_window,
    allocation_order,
    lottery_key,
    register_interest,
)
from willkommen.booking.states import RequestStatus, Status

__all__ = [
    "Applicant",
    "InvalidRequest",
    "PastAppointment",
    "RequestStatus",
    "Status",
    "TooEarly",
    "WrongDay",
    "accept_emergency_request",
    "add_preparation_task",
    "allocate_closed_windows",
    "allocate_window",
    "allocation_order",
    "appointment_for_link",
    "book",
    "cancel",
    "capacity",
    "check_in",
    "confirm",
    "desired_slots",
    "expire_due_holds",
    "lottery_key",
    "materialise_all_locations",
    "materialise_slots",
    "person_key",
    "plan_appointment",
    "queue_reminders",
    "rebook",
    "record_no_show",
    "record_past_appointments",
    "register_interest",
    "reject_emergency_request",
    "remove_past_appointments",
    "return_due_capacity",
    "set_preparation_task_done",
    "slot_chain",
    "submit_emergency_request",
]
