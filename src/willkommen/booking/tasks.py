"""Background work of booking (django-tasks); ``manage.py booking_sweep --loop`` enqueues it."""

from django_tasks import task

from willkommen.booking import services


@task()
def send_reminders() -> int:
    """Queue the reminder mails for tomorrow's appointments (the outbox sends them)."""
    return services.queue_reminders()


@task()
def materialise_slots() -> int:
    """Bring the slot rows of every location in line with its rules for the booking window."""
    return services.materialise_all_locations()
