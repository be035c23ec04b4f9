"""The day plan's working notes and the preparation tasks of an appointment."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from willkommen.booking.errors import InvalidRequest
from willkommen.booking.models import Appointment, PreparationTask
from willkommen.booking.services import transitions
from willkommen.core import clock


def plan_appointment(appointment: Appointment, *, clerk, staff_note: str) -> Appointment:
    """Assign the clerk and the note for staff: no status change, so no event."""
    with transaction.atomic():
        locked = transitions.locked_appointment(pk=appointment.pk)
        locked.clerk = clerk
        locked.staff_note = staff_note.strip()
        locked.save(update_fields=["clerk", "staff_note"])
    return locked


def add_preparation_task(appointment: Appointment, *, title: str, actor) -> PreparationTask:
    title = " ".join((title or "").split())
    if not title:
        raise InvalidRequest(_("Please describe the task."))
    if len(title) > 200:
        raise InvalidRequest(_("Please describe the task in at most 200 characters."))
    return PreparationTask.objects.create(
        appointment=appointment, title=title, created_by=actor, created_at=clock.now()
    )


def set_preparation_task_done(task: PreparationTask, *, done: bool, actor) -> PreparationTask:
    with transaction.atomic():
        locked = PreparationTask.objects.select_for_update().get(pk=task.pk)
        if done and locked.done_at is None:
            locked.done_at, locked.done_by = clock.now(), actor
        elif not done:
            locked.done_at, locked.done_by = None, None
        locked.save(update_fields=["done_at", "done_by"])
    return locked
