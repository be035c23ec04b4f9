"""An appointment's life: book (hold or confirmed), confirm, cancel, rebook, check in,
no-show, and the reminder the day before. Each use case is one transaction."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from willkommen.booking import mails, selectors
from willkommen.booking.errors import (
    AlreadyBooked,
    HoldExpired,
    InvalidLink,
    InvalidRequest,
    SlotTaken,
    TooEarly,
    WrongDay,
)
from willkommen.booking.links import CONFIRM, MANAGE, read_token
from willkommen.booking.models import Appointment, Channel, SlotBooking
from willkommen.booking.selectors import BookingSetup
from willkommen.booking.services import applicants, holds, ledger, transitions
from willkommen.booking.services.applicants import Applicant
from willkommen.booking.states import Action, Status
from willkommen.core import clock


def book(
    *,
    location,
    service,
    persons: int,
    starts_at: datetime,
    applicant: Applicant,
    channel: str = Channel.ONLINE,
    language: str = "de",
    checklist_answers: dict | None = None,
    actor=None,
    allocating: bool = False,
    setup: BookingSetup | None = None,
) -> Appointment:
    """Book a time: online it is *held* until the applicant confirms by mail; by staff,
    from the emergency quota or by a request window's allocation it is confirmed at once.

    Raises InvalidRequest, AlreadyBooked, SlotUnavailable or SlotTaken; on any of
    them nothing is stored. ``setup``: the booking set-up of location and service, if
    the caller has already read it (it needs it again for a refusal's next times).
    """
    setup = setup or BookingSetup.of(location, service)
    now = clock.now()
    applicants.validate(
        setup,
        persons=persons,
        starts_at=starts_at,
        applicant=applicant,
        channel=channel,
        now=now,
        allocating=allocating,
    )
    held = channel == Channel.ONLINE and not allocating
    key = applicants.person_key(applicant)

    def attempt(at: datetime) -> Appointment:
        appointment = Appointment(
            location=location,
            service=service,
            capacity_team_id=setup.capacity_team_id,
            persons=persons,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=setup.minutes(persons)),
            status=Status.HELD if held else Status.CONFIRMED,
            channel=channel,
            applicant_name=applicant.name.strip(),
            applicant_email=applicant.email.strip(),
            applicant_phone=applicant.phone.strip(),
            birth_date=applicant.birth_date,
            nationality=applicant.nationality.strip(),
            language=language,
            checklist_answers=checklist_answers or {},
            person_key=key,
            hold_expires_at=at + timedelta(minutes=settings.BOOKING_HOLD_MINUTES) if held else None,
            created_at=at,
        )
        try:
            return _store(appointment, actor=actor, now=at)
        except IntegrityError:
            if Appointment.objects.active().filter(service=service, person_key=key).exists():
                raise AlreadyBooked() from None
            raise

    try:
        return attempt(now)
    except SlotTaken:
        # Perhaps only a hold that ran out is in the way: expire such holds, try once more.
        if not holds.expire_due_holds(starts_at=starts_at):
            raise
    except IntegrityError:
        pass  # a reference collision (one in hundreds of millions): once more, a new one
    return attempt(clock.now())


def _store(appointment: Appointment, *, actor, now: datetime) -> Appointment:
    """Insert the appointment with its event, its mail and its capacity, or nothing.

    The slot rows are read first, outside the transaction: when a time step looks
    full the answer is "taken" at once, and a loser writes nothing. The read is
    advice; the conditional UPDATE in ``ledger.take`` decides. The insert lets the
    partial unique index refuse a second active appointment of the person (the
    IntegrityError rolls the whole transaction back; ``book`` tells why).
    """
    steps = ledger.chain_of(appointment)
    if not ledger.all_look_free(steps, now):
        raise SlotTaken()
    with transaction.atomic():
        appointment.save(force_insert=True)
        transitions.created(appointment, Action.CREATE, actor=actor)
        if appointment.status == Status.HELD:
            mails.hold_placed(appointment)
        else:
            mails.confirmed(appointment)
        # The capacity last: its UPDATE locks the slot row until the commit, and every
        # other booking of that time waits for that lock; taken here it lasts only the
        # units' insert and the commit.
        ledger.take(appointment, now, steps)
    return appointment


def _by_token(token: str, purpose: str, *, max_age=None) -> Appointment:
    """The locked appointment a valid link names; InvalidLink if forged or outdated."""
    reference, version = read_token(token, purpose, max_age=max_age)
    try:
        appointment = transitions.locked_appointment(reference=reference)
    except Appointment.DoesNotExist:
        raise InvalidLink() from None
    if appointment.link_version != version:
        raise InvalidLink()
    return appointment


def appointment_for_link(token: str, purpose: str = MANAGE) -> Appointment:
    with transaction.atomic():
        return _by_token(token, purpose)


def confirm(token: str) -> tuple[Appointment, bool]:
    """The click on the link in the hold mail. Returns (appointment, newly confirmed).

    A second click on the same link changes nothing and says so. A click after
    the hold ran out expires it (if the sweep has not yet) and raises HoldExpired.
    """
    max_age = timedelta(minutes=settings.BOOKING_HOLD_MINUTES + 1)
    with transaction.atomic():
        appointment = _by_token(token, CONFIRM, max_age=max_age)
        if appointment.status == Status.CONFIRMED:
            return appointment, False
        if appointment.status == Status.HELD and appointment.hold_expires_at > clock.now():
            appointment.hold_expires_at = None
            transitions.move(appointment, Action.CONFIRM, actor=None, fields=["hold_expires_at"])
            mails.confirmed(appointment)
            return appointment, True
    holds.expire_due_holds(starts_at=appointment.starts_at)
    raise HoldExpired()


def cancel(appointment: Appointment, *, actor=None, note: str = "") -> Appointment:
    """Cancel (applicant by link, or staff). A confirmed time returns to the pool only
    after BOOKING_CANCELLED_RETURN_MINUTES; an unconfirmed hold returns at once."""
    with transaction.atomic():
        locked = transitions.locked_appointment(pk=appointment.pk)
        was_confirmed = locked.status == Status.CONFIRMED
        locked.link_version += 1
        transitions.move(locked, Action.CANCEL, actor=actor, note=note, fields=["link_version"])
        delay = timedelta(minutes=settings.BOOKING_CANCELLED_RETURN_MINUTES)
        ledger.give_back(locked, delay=delay if was_confirmed else timedelta(0))
        mails.cancelled(locked)
    return locked


def rebook(appointment: Appointment, *, starts_at: datetime, actor=None) -> Appointment:
    """Move a confirmed appointment to another time; the reference stays, old links stop.

    The new time is taken first; only if that succeeds is the old one given back
    (after the same delay as a cancellation).
    """
    now = clock.now()
    with transaction.atomic():
        locked = transitions.locked_appointment(pk=appointment.pk)
        transitions.check(locked, Action.REBOOK)
        if starts_at == locked.starts_at:
            raise InvalidRequest(_("This is the time you already have."))
        applicants.validate(
            BookingSetup.of(locked.location, locked.service),
            persons=locked.persons,
            starts_at=starts_at,
            applicant=Applicant(
                locked.applicant_name,
                locked.applicant_email,
                locked.applicant_phone,
                locked.birth_date,
                locked.nationality,
            ),
            channel=locked.channel,
            now=now,
        )
        old = list(
            SlotBooking.objects.filter(appointment=locked).held().values_list("pk", flat=True)
        )
        previous_start = locked.starts_at
        locked.ends_at = starts_at + (locked.ends_at - locked.starts_at)
        locked.starts_at = starts_at
        ledger.take(locked, now)
        ledger.give_back(
            locked, delay=timedelta(minutes=settings.BOOKING_CANCELLED_RETURN_MINUTES), only=old
        )
        locked.link_version += 1
        locked.reminder_queued_at = None
        transitions.move(
            locked,
            Action.REBOOK,
            actor=actor,
            note=f"from {previous_start.isoformat()}",
            fields=["starts_at", "ends_at", "link_version", "reminder_queued_at"],
        )
        mails.moved(locked)
    return locked


def _is_today(appointment: Appointment) -> bool:
    tz_name = appointment.location.timezone
    return appointment.starts_at.astimezone(ZoneInfo(tz_name)).date() == clock.local_today(tz_name)


def check_in(appointment: Appointment, *, actor) -> Appointment:
    """The applicant has arrived: confirmed (or marked no-show, and came late) → checked in.

    Only on the appointment's day in the location's time zone. Raises
    TransitionNotAllowed for a second check-in or a cancelled appointment.
    """
    with transaction.atomic():
        locked = transitions.locked_appointment(pk=appointment.pk)
        transitions.check(locked, Action.CHECK_IN)
        if not _is_today(locked):
            raise WrongDay()
        return transitions.move(locked, Action.CHECK_IN, actor=actor)


def record_no_show(appointment: Appointment, *, actor) -> Appointment:
    """The applicant did not come: confirmed → no-show, once the appointment has begun."""
    with transaction.atomic():
        locked = transitions.locked_appointment(pk=appointment.pk)
        transitions.check(locked, Action.NO_SHOW)
        if clock.now() < locked.starts_at:
            raise TooEarly()
        return transitions.move(locked, Action.NO_SHOW, actor=actor)


def queue_reminders() -> int:
    """Queue the reminder for every confirmed appointment that is tomorrow (location time)."""
    from willkommen.catalog.models import Location

    queued = 0
    for location in Location.objects.all():
        tomorrow = clock.local_today(location.timezone) + timedelta(days=1)
        start, end = selectors.day_bounds(location, tomorrow)
        due = Appointment.objects.filter(
            location=location,
            status=Status.CONFIRMED,
            reminder_queued_at__isnull=True,
            starts_at__gte=start,
            starts_at__lt=end,
        ).exclude(applicant_email="")
        for appointment_id in list(due.values_list("pk", flat=True)):
            with transaction.atomic():
                locked = transitions.locked_appointment(pk=appointment_id)
                if locked.status != Status.CONFIRMED or locked.reminder_queued_at is not None:
                    continue
                mails.reminder(locked)
                locked.reminder_queued_at = clock.now()
                locked.save(update_fields=["reminder_queued_at"])
                queued += 1
    return queued
