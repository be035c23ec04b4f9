"""The writes of booking: one function per use case, each in one transaction.

Every status change goes through ``_apply``, which checks the transition table
(``states``) against the row as locked inside the transaction and appends the
event. Nothing else assigns ``Appointment.status``.

Capacity (invariant 1) is taken by ``_reserve``: one conditional UPDATE per
slot row, ``booked = booked + 1 WHERE booked < capacity``, evaluated by the
database under the row lock (PostgreSQL re-checks the condition after a
concurrent writer commits; SQLite serialises writers with BEGIN IMMEDIATE).
Rows are taken in time order, so two bookings never wait for each other in a
circle. A CHECK constraint on the slot rejects anything that slipped past.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import time
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from willkommen.booking import capacity, mails, selectors
from willkommen.booking.errors import (
    AlreadyBooked,
    HoldExpired,
    InvalidLink,
    InvalidRequest,
    SlotTaken,
    SlotUnavailable,
    TooEarly,
    WrongDay,
)
from willkommen.booking.links import CONFIRM, MANAGE, read_token
from willkommen.booking.memory import SLOT_ROWS_SECONDS, process_cache, seen_full
from willkommen.booking.models import (
    Appointment,
    AppointmentEvent,
    Channel,
    Closure,
    EmergencyRequest,
    OpeningRule,
    PreparationTask,
    RequestEvent,
    Slot,
    SlotBooking,
    WindowRegistration,
)
from willkommen.booking.models.emergency import REASONS_WITH_EXPIRY
from willkommen.booking.models.windows import AllocationRule
from willkommen.booking.states import (
    APPOINTMENT_TRANSITIONS,
    EMERGENCY_TRANSITIONS,
    Action,
    RequestAction,
    RequestStatus,
    Status,
    target_of,
)
from willkommen.core import clock, rows
from willkommen.core.uploads import as_checked

logger = logging.getLogger(__name__)


def _locked(appointment: Appointment) -> Appointment:
    """The appointment's row, locked until the surrounding transaction ends."""
    # of=("self",): with select_related, PostgreSQL would otherwise lock the location's
    # row too, and every change at that location would queue behind this one.
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("location")
        .get(pk=appointment.pk)
    )


def _record(appointment: Appointment, action: str, from_status: str, *, actor, note="") -> None:
    rows.insert(
        AppointmentEvent(
            appointment=appointment,
            action=action,
            from_status=from_status,
            to_status=appointment.status,
            at=clock.now(),
            actor=actor,
            note=note,
            starts_at=appointment.starts_at,
        )
    )


def _apply(appointment: Appointment, action: str, *, actor, note="", fields=()) -> Appointment:
    """Move a locked appointment along the table and record it; ``fields`` changed with it."""
    previous = appointment.status
    appointment.status = target_of(APPOINTMENT_TRANSITIONS, action, previous)
    rows.update(appointment, ["status", *fields])
    _record(appointment, action, previous, actor=actor, note=note)
    return appointment


def _is_today(appointment: Appointment) -> bool:
    tz_name = appointment.location.timezone
    return appointment.starts_at.astimezone(ZoneInfo(tz_name)).date() == clock.local_today(tz_name)


def check_in(appointment: Appointment, *, actor) -> Appointment:
    """The applicant has arrived: confirmed (or marked no-show, and came late) → checked in.

    Only on the appointment's day in the location's time zone. Raises
    TransitionNotAllowed for a second check-in or a cancelled appointment.
    """
    with transaction.atomic():
        locked = _locked(appointment)
        target_of(APPOINTMENT_TRANSITIONS, Action.CHECK_IN, locked.status)
        if not _is_today(locked):
            raise WrongDay()
        return _apply(locked, Action.CHECK_IN, actor=actor)


def record_no_show(appointment: Appointment, *, actor) -> Appointment:
    """The applicant did not come: confirmed → no-show, once the appointment has begun."""
    with transaction.atomic():
        locked = _locked(appointment)
        target_of(APPOINTMENT_TRANSITIONS, Action.NO_SHOW, locked.status)
        if clock.now() < locked.starts_at:
            raise TooEarly()
        return _apply(locked, Action.NO_SHOW, actor=actor)


# --- capacity: slots from rules --------------------------------------------------


def _closed_days(location, first: date, last: date) -> set[date]:
    closed = set()
    closures = Closure.objects.filter(
        Q(location=location) | Q(location__isnull=True), starts_on__lte=last, ends_on__gte=first
    )
    for closure in closures:
        day = max(closure.starts_on, first)
        while day <= min(closure.ends_on, last):
            closed.add(day)
            day += timedelta(days=1)
    return closed


def desired_slots(location, first: date, last: date) -> dict[tuple, tuple]:
    """(team, channel, starts_at, stage) -> (ends_at, released_at, capacity) for the days."""
    zone = ZoneInfo(location.timezone)
    rules = [capacity.RuleSpec.of(rule) for rule in OpeningRule.objects.filter(location=location)]
    policy = selectors.policy_of(location)
    stages = selectors.release_stages_of(location)
    shares = [share for _time, share in stages]
    closed = _closed_days(location, first, last)
    wanted = {}
    day = first
    while day <= last:
        holiday = capacity.is_holiday(location.state, day)
        specs = capacity.slots_of_day(rules, day, zone, holiday=holiday, closed=day in closed)
        released = capacity.release_instants(
            day, zone, policy.horizon_days, [wall for wall, _share in stages]
        )
        for spec in specs:
            for channel, amount in spec.capacities.items():
                if amount <= 0:
                    continue
                if channel == Channel.ONLINE:
                    parts = zip(released, capacity.split_by_stages(amount, shares), strict=True)
                else:
                    parts = [(capacity.ALWAYS_RELEASED, amount)]
                for stage, (released_at, part) in enumerate(parts):
                    if part > 0:
                        key = (spec.team_id, channel, spec.starts_at, stage)
                        wanted[key] = (spec.ends_at, released_at, part)
        day += timedelta(days=1)
    return wanted


def materialise_slots(location, *, first: date | None = None, days: int | None = None) -> int:
    """Make the slot rows match the rules for the bookable window. Idempotent.

    New capacity is inserted, changed capacity updated, and capacity that the
    rules no longer give (closure, changed hours) is cut down to what is already
    booked: booked appointments are never dropped here; staff see them in the
    day plan and move them. Returns the number of rows created or changed.
    """
    first = first or clock.local_today(location.timezone)
    horizon = days if days is not None else selectors.policy_of(location).horizon_days + 1
    last = first + timedelta(days=horizon)
    wanted = desired_slots(location, first, last)
    start, _ = selectors.day_bounds(location, first)
    _, end = selectors.day_bounds(location, last)
    changed = 0
    with transaction.atomic():
        existing = {
            (slot.team_id, slot.channel, slot.starts_at, slot.stage): slot
            for slot in Slot.objects.filter(
                location=location, starts_at__gte=start, starts_at__lt=end
            )
        }
        new = [
            Slot(
                location=location,
                team_id=team_id,
                channel=channel,
                starts_at=starts_at,
                stage=stage,
                ends_at=ends_at,
                released_at=released_at,
                capacity=amount,
            )
            for (team_id, channel, starts_at, stage), (
                ends_at,
                released_at,
                amount,
            ) in wanted.items()
            if (team_id, channel, starts_at, stage) not in existing
        ]
        Slot.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
        changed += len(new)
        for key, slot in existing.items():
            ends_at, released_at, amount = wanted.get(key, (slot.ends_at, slot.released_at, 0))
            if (slot.capacity, slot.released_at, slot.ends_at) != (amount, released_at, ends_at):
                changed += Slot.objects.filter(pk=slot.pk).update(
                    capacity=Greatest(amount, F("booked")), released_at=released_at, ends_at=ends_at
                )
    return changed


def materialise_all_locations() -> int:
    from willkommen.catalog.models import Location

    return sum(materialise_slots(location) for location in Location.objects.active())


# --- capacity: taking and giving back ------------------------------------------------


def slot_chain(location, team_id, channel, starts_at, minutes) -> list[list[Slot]]:
    """The slot rows (by time step, all stages) that an appointment at ``starts_at`` needs.

    Raises SlotUnavailable when there is no contiguous run of slots covering it.
    """
    rows = list(
        Slot.objects.filter(
            location=location,
            team_id=team_id,
            channel=channel,
            starts_at__gte=starts_at,
            starts_at__lt=starts_at + timedelta(minutes=minutes),
        ).order_by("starts_at", "stage")
    )
    steps: list[list[Slot]] = []
    for row in rows:
        if steps and steps[-1][0].starts_at == row.starts_at:
            steps[-1].append(row)
        else:
            steps.append([row])
    expected = starts_at
    for step in steps:
        if step[0].starts_at != expected:
            raise SlotUnavailable()
        expected = step[0].ends_at
    if not steps or expected < starts_at + timedelta(minutes=minutes):
        raise SlotUnavailable()
    return steps


def _chain_of(appointment: Appointment) -> list[list[Slot]]:
    minutes = selectors.minutes_for(appointment.service, appointment.persons)
    return slot_chain(
        appointment.location,
        appointment.capacity_team_id,
        appointment.channel,
        appointment.starts_at,
        minutes,
    )


def _looks_free(row, now: datetime) -> bool:
    return row.booked < row.capacity and row.released_at <= now


@dataclass(frozen=True)
class SlotState:
    """A slot row as a booking sees it: its set-up, and its counts as just read."""

    pk: int
    starts_at: datetime
    released_at: datetime
    capacity: int
    booked: int


def _current_chain(appointment: Appointment) -> list[list[SlotState]]:
    """The slot rows the appointment needs, by time step, with their counts read now.

    Which rows make up a time changes only with the rules, so each process remembers
    them for a minute (booking/memory.py, ``SLOT_ROWS_SECONDS``) and reads just the
    counts, by primary key: in a rush the same few times are asked for hundreds of
    times a second. A row deleted meanwhile is left out; one added shows after that
    minute. Raises SlotUnavailable like ``slot_chain``.
    """
    if not process_cache.enabled:
        return _chain_of(appointment)
    minutes = selectors.minutes_for(appointment.service, appointment.persons)
    key = (
        "chain", appointment.location_id, appointment.capacity_team_id, appointment.channel,
        appointment.starts_at, minutes,
    )  # fmt: skip
    steps = process_cache.recall(key, lambda: _chain_of(appointment), seconds=SLOT_ROWS_SECONDS)
    counts = _slot_counts([row.pk for step in steps for row in step])
    return [
        [
            SlotState(row.pk, row.starts_at, row.released_at, *counts[row.pk])
            for row in step
            if row.pk in counts
        ]
        for step in steps
    ]


def _note_no_room(appointment: Appointment, steps, now: datetime, taken=()) -> None:
    """Tell remembered availability answers (``memory.seen_full``) which steps have no
    released unit left: as the read before the booking found them, less the units the
    booking itself ``taken`` (after a booking that took a step's last one)."""
    taken_ids = {row.pk for row in taken}
    full = [
        step[0].starts_at
        for step in steps
        if step
        and not any(
            row.booked + (row.pk in taken_ids) < row.capacity and row.released_at <= now
            for row in step
        )
    ]
    if full:
        seen_full.note(_capacity_scope(appointment), full)


def _capacity_scope(appointment: Appointment) -> tuple:
    """Where the appointment's capacity comes from: (location, team, channel)."""
    return (appointment.location_id, appointment.capacity_team_id, appointment.channel)


@functools.cache
def _slot_names(vendor: str) -> dict[str, str]:
    """The slot table's and columns' names, quoted for ``vendor``, for the plain SQL of
    ``_slot_counts`` and ``_take_unit``. Only these names from the model's meta and
    placeholders go into that SQL's text (hence no S608 there)."""
    quote = connection.ops.quote_name
    names = {"table": quote(Slot._meta.db_table)}
    for name in ("id", "capacity", "booked", "released_at"):
        names[name] = quote(Slot._meta.get_field(name).column)
    return names


def _slot_counts(ids: list[int]) -> dict[int, tuple[int, int]]:
    """{slot id: (capacity, booked)}. Plain SQL on purpose: this read runs for every
    booking attempt, and the ORM's compiling of it cost three times the query."""
    sql = "SELECT {id}, {capacity}, {booked} FROM {table} WHERE {id} IN ({ids})".format(  # noqa: S608
        ids=", ".join(["%s"] * len(ids)), **_slot_names(connection.vendor)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return {pk: (capacity, booked) for pk, capacity, booked in cursor.fetchall()}


def _take_capacity(appointment: Appointment, now: datetime, steps=None) -> list:
    """Take one unit of every time step the appointment covers, or raise SlotTaken.

    Each unit is a conditional UPDATE (``booked < capacity``), which the database
    decides row by row: never more than capacity, whatever runs in parallel. The
    appointment need not be saved yet; ``_record_capacity`` links the units to it.
    ``steps`` may come from a read before the transaction: it only orders the tries
    (rows that looked free first), the UPDATE still decides.
    """
    taken = []
    for step in steps if steps is not None else _chain_of(appointment):
        for row in sorted(step, key=lambda row: not _looks_free(row, now)):
            if _take_unit(row.pk, now):
                taken.append(row)
                break
        else:
            # Noted here only: the transaction rolls back, and the booking that took
            # the last unit tells the other processes (_note_no_room).
            seen_full.note(_capacity_scope(appointment), [step[0].starts_at], share=False)
            raise SlotTaken()  # the transaction's rollback gives back the units taken so far
    return taken


def _take_unit(slot_id: int, now: datetime) -> bool:
    """``booked = booked + 1`` on one slot row if it has a released unit left: the
    conditional UPDATE that invariant 1 rests on, decided by the database under the
    row lock. Plain SQL like ``_slot_counts``: the ORM's compiling of it cost more
    than the statement."""
    sql = (  # noqa: S608 (see _slot_names)
        "UPDATE {table} SET {booked} = {booked} + 1 "
        "WHERE {id} = %s AND {booked} < {capacity} AND {released_at} <= %s"
    ).format(**_slot_names(connection.vendor))
    with connection.cursor() as cursor:
        cursor.execute(sql, [slot_id, connection.ops.adapt_datetimefield_value(now)])
        return cursor.rowcount == 1


def _record_capacity(appointment: Appointment, slots: list) -> None:
    units = [SlotBooking(appointment=appointment, slot_id=row.pk) for row in slots]
    # Mostly one unit (one time step): a statement made once costs 0.12 ms of CPU there,
    # bulk_create 0.22. For three units one bulk statement is cheaper (0.35 against 0.41).
    if len(units) == 1:
        rows.insert(units[0])
    else:
        SlotBooking.objects.bulk_create(units)


def _reserve(appointment: Appointment, now: datetime) -> None:
    """Take the capacity for a saved appointment (a rebooking)."""
    _record_capacity(appointment, _take_capacity(appointment, now))


def _give_back(appointment: Appointment, *, delay: timedelta, only=None) -> None:
    """Return the appointment's slot units: after ``delay`` (the sweep does it), or at once."""
    bookings = SlotBooking.objects.filter(appointment=appointment).held()
    if only is not None:
        bookings = bookings.filter(pk__in=only)
    if delay > timedelta(0):
        bookings.filter(returns_at__isnull=True).update(returns_at=clock.now() + delay)
    else:
        for booking in bookings:
            _return_one(booking.pk)


def _return_one(booking_id: int) -> bool:
    """Give one booked unit back to its slot, once (the conditional UPDATE decides)."""
    now = clock.now()
    marked = SlotBooking.objects.filter(pk=booking_id, returned_at__isnull=True).update(
        returned_at=now
    )
    if marked:
        slot_id = SlotBooking.objects.values_list("slot_id", flat=True).get(pk=booking_id)
        Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)
    return bool(marked)


def return_due_capacity(limit: int = 1000) -> int:
    """Give back the capacity of cancelled appointments whose delay is over."""
    ids = list(SlotBooking.objects.due_to_return(clock.now()).values_list("pk", flat=True)[:limit])
    returned = 0
    for booking_id in ids:
        with transaction.atomic():
            returned += _return_one(booking_id)
    return returned


def expire_due_holds(limit: int = 1000, *, starts_at=None) -> int:
    """Expire holds nobody confirmed in time, and free their slots at once."""
    now = clock.now()
    due = Appointment.objects.filter(status=Status.HELD, hold_expires_at__lte=now)
    if starts_at is not None:
        # Only holds that could be in the way of a booking at this time.
        due = due.filter(starts_at__lt=starts_at + timedelta(hours=8), ends_at__gt=starts_at)
    expired = 0
    for appointment_id in list(due.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            locked = Appointment.objects.select_for_update().get(pk=appointment_id)
            if locked.status == Status.HELD and locked.hold_expires_at <= now:
                _apply(locked, Action.EXPIRE, actor=None)
                _give_back(locked, delay=timedelta(0))
                expired += 1
    return expired


# Conflicts seen by this process: (location id, start) → when it last looked for
# expired holds there (monotonic seconds).
_expiry_looked: dict[tuple, float] = {}


def _no_hold_runs_out_before() -> datetime:
    """A time before which no hold runs out: the earliest expiry of the holds there
    are now, and at the latest a hold's time from now, for the holds made after this
    read (each is made for BOOKING_HOLD_MINUTES). One indexed read."""
    now = clock.now()
    bound = now + timedelta(minutes=settings.BOOKING_HOLD_MINUTES)
    earliest = (
        Appointment.objects.filter(status=Status.HELD, hold_expires_at__isnull=False)
        .order_by("hold_expires_at")
        .values_list("hold_expires_at", flat=True)
        .first()
    )
    return min(bound, earliest) if earliest is not None else bound


def _expire_holds_in_the_way(location, starts_at: datetime) -> int:
    """``expire_due_holds`` for a conflict at ``starts_at``, at most once per
    BOOKING_AVAILABILITY_CACHE_SECONDS per time and process, and only when some hold
    may have run out at all.

    In a rush every loser of a time would ask the same question again within the
    second; a hold that ran out meanwhile waits for the next look, or for the sweep.
    And in a rush no hold has run out yet (they are seconds old, and run for ten
    minutes): each process learns that from one read a second, instead of looking at
    every time that had a conflict (in a profiled rush the refusals were spread over
    dozens of times, and nearly every refusal paid for a look of its own).
    """
    runs_out = process_cache.recall(("no hold runs out before",), _no_hold_runs_out_before)
    if clock.now() < runs_out:
        return 0
    seconds = settings.BOOKING_AVAILABILITY_CACHE_SECONDS
    key = (location.pk, starts_at)
    looked = time.monotonic()
    if seconds > 0 and looked - _expiry_looked.get(key, -seconds) < seconds:
        return 0
    if len(_expiry_looked) > 10_000:
        _expiry_looked.clear()
    _expiry_looked[key] = looked
    return expire_due_holds(starts_at=starts_at)


# --- booking ------------------------------------------------------------------------


@dataclass
class Applicant:
    name: str
    email: str = ""
    phone: str = ""
    birth_date: date | None = None
    nationality: str = ""


def _normalised(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    letters = "".join(ch for ch in decomposed if ch.isalnum() or ch.isspace())
    return " ".join(letters.casefold().split())


def person_key(applicant: Applicant) -> str:
    """HMAC of name + date of birth (or e-mail, or phone): equal for the same person,
    useless to anyone without the secret key."""
    second = (
        applicant.birth_date.isoformat()
        if applicant.birth_date
        else (applicant.email or "").strip().casefold() or _normalised(applicant.phone)
    )
    message = f"{_normalised(applicant.name)}|{second}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _validate_request(
    *, location, service, persons, starts_at, applicant, channel, now, allocating=False
):
    if not location.is_active or not service.is_active:
        raise InvalidRequest(_("This service or location is not available."))
    if channel == Channel.ONLINE and not service.online_bookable:
        raise InvalidRequest(_("This service cannot be booked online."))
    if not 1 <= persons <= service.max_persons:
        raise InvalidRequest(
            _("This service can be booked for 1 to %(max)s persons.") % {"max": service.max_persons}
        )
    if starts_at <= now:
        raise InvalidRequest(_("This time is in the past."))
    if channel == Channel.ONLINE:
        policy = selectors.policy_of(location)
        if starts_at < now + timedelta(hours=policy.min_lead_hours):
            raise InvalidRequest(_("This time is too soon to be booked online."))
        last_day = clock.local_today(location.timezone) + timedelta(days=policy.horizon_days)
        if starts_at.astimezone(ZoneInfo(location.timezone)).date() > last_day:
            raise InvalidRequest(_("This day cannot be booked yet."))
        if not applicant.email:
            raise InvalidRequest(_("Please give your e-mail address."))
        local_day = starts_at.astimezone(ZoneInfo(location.timezone)).date()
        if not allocating and selectors.in_window(
            local_day, selectors.window_days(location, service)
        ):
            raise InvalidRequest(
                _(
                    "Times on this day are given out by a request window, not first come "
                    "first served. Please register your interest instead."
                )
            )
    if not applicant.name.strip():
        raise InvalidRequest(_("Please give your name."))
    if not (applicant.email or applicant.birth_date or applicant.phone):
        raise InvalidRequest(_("Please give an e-mail address, a phone number or a date of birth."))
    rule = selectors.booking_rule_of(service)
    if rule is not None:
        if rule.asks_birth_date and not applicant.birth_date:
            raise InvalidRequest(_("This service needs your date of birth."))
        if rule.asks_nationality and not applicant.nationality.strip():
            raise InvalidRequest(_("This service needs your nationality."))


def _insert_appointment(appointment: Appointment) -> None:
    """Insert the appointment; the partial unique index refuses a second active one.

    No savepoint of its own: an IntegrityError ends the caller's transaction, and
    ``book`` tells a duplicate from a reference collision after the rollback.
    """
    rows.insert(appointment)


def _is_duplicate(service, key: str) -> bool:
    return Appointment.objects.active().filter(service=service, person_key=key).exists()


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
) -> Appointment:
    """Book a time: online it is *held* until the applicant confirms by mail; by staff,
    from the emergency quota or by a request window's allocation it is confirmed at once.

    Raises InvalidRequest, AlreadyBooked, SlotUnavailable or SlotTaken; on any of
    them nothing is stored.
    """
    now = clock.now()
    _validate_request(
        location=location,
        service=service,
        persons=persons,
        starts_at=starts_at,
        applicant=applicant,
        channel=channel,
        now=now,
        allocating=allocating,
    )
    held = channel == Channel.ONLINE and not allocating
    key = person_key(applicant)

    def attempt(at: datetime) -> Appointment:
        try:
            return _book_once(
                location, service, persons, starts_at, applicant, key, channel, language,
                checklist_answers, actor, at, held,
            )  # fmt: skip
        except IntegrityError:
            if _is_duplicate(service, key):
                raise AlreadyBooked() from None
            raise

    try:
        return attempt(now)
    except SlotTaken:
        # Perhaps only a hold that ran out is in the way: expire such holds, try once more.
        if not _expire_holds_in_the_way(location, starts_at):
            raise
    except IntegrityError:
        pass  # a reference collision (one in hundreds of millions): once more, a new one
    return attempt(clock.now())


def _book_once(
    location, service, persons, starts_at, applicant, key, channel, language, answers, actor,
    now, held,
):  # fmt: skip
    minutes = selectors.minutes_for(service, persons)
    appointment = Appointment(
        location=location,
        service=service,
        capacity_team_id=selectors.capacity_team_id(location, service),
        persons=persons,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        status=Status.HELD if held else Status.CONFIRMED,
        channel=channel,
        applicant_name=applicant.name.strip(),
        applicant_email=applicant.email.strip(),
        applicant_phone=applicant.phone.strip(),
        birth_date=applicant.birth_date,
        nationality=applicant.nationality.strip(),
        language=language,
        checklist_answers=answers or {},
        person_key=key,
        hold_expires_at=now + timedelta(minutes=settings.BOOKING_HOLD_MINUTES) if held else None,
        created_at=now,
    )
    # In a rush most attempts lose. A loser should cost one read, not a transaction
    # that inserts the appointment, its event and its mail and rolls them back: read
    # the slot rows first, and if a time step looks full, answer "taken" at once. The
    # read is advice; inside the transaction the conditional UPDATE decides.
    steps = _current_chain(appointment)
    if not all(any(_looks_free(row, now) for row in step) for step in steps):
        _note_no_room(appointment, steps, now)
        raise SlotTaken()
    with transaction.atomic():
        _insert_appointment(appointment)
        _record(appointment, Action.CREATE, "", actor=actor)
        if held:
            mails.hold_placed(appointment)
        else:
            mails.confirmed(appointment)
        # The capacity last: its UPDATE locks the slot row until the commit, and every
        # other booking of that time waits for the lock (holding a request thread).
        # Taken here, the lock lasts one insert and the commit, not the whole booking.
        taken = _take_capacity(appointment, now, steps)
        _record_capacity(appointment, taken)
    _note_no_room(appointment, steps, now, taken)
    return appointment


def _by_token(token: str, purpose: str, *, max_age=None) -> Appointment:
    """The locked appointment a valid link names; InvalidLink if forged or outdated."""
    reference, version = read_token(token, purpose, max_age=max_age)
    try:
        appointment = rows.get_locked(Appointment, "reference", reference)
    except Appointment.DoesNotExist:
        raise InvalidLink() from None
    if appointment.link_version != version:
        raise InvalidLink()
    # The location and service from memory: a rush confirms hundreds a second, each
    # reading the same two rows (and the checklist for the mail) again otherwise.
    # They are shared instances: read them, do not change them (a change goes
    # through _locked, which reads its own).
    appointment.location = selectors.remembered_location(appointment.location_id)
    appointment.service = selectors.remembered_service(appointment.service_id)
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
            _apply(appointment, Action.CONFIRM, actor=None, fields=["hold_expires_at"])
            mails.confirmed(appointment)
            return appointment, True
    expire_due_holds(starts_at=appointment.starts_at)
    raise HoldExpired()


def cancel(appointment: Appointment, *, actor=None, note: str = "") -> Appointment:
    """Cancel (applicant by link, or staff). A confirmed time returns to the pool only
    after BOOKING_CANCELLED_RETURN_MINUTES; an unconfirmed hold returns at once."""
    with transaction.atomic():
        locked = _locked(appointment)
        was_confirmed = locked.status == Status.CONFIRMED
        locked.link_version += 1
        _apply(locked, Action.CANCEL, actor=actor, note=note, fields=["link_version"])
        delay = timedelta(minutes=settings.BOOKING_CANCELLED_RETURN_MINUTES)
        _give_back(locked, delay=delay if was_confirmed else timedelta(0))
        mails.cancelled(locked)
    return locked


def rebook(appointment: Appointment, *, starts_at: datetime, actor=None) -> Appointment:
    """Move a confirmed appointment to another time; the reference stays, old links stop.

    The new time is taken first; only if that succeeds is the old one given back
    (after the same delay as a cancellation).
    """
    now = clock.now()
    with transaction.atomic():
        locked = _locked(appointment)
        target_of(APPOINTMENT_TRANSITIONS, Action.REBOOK, locked.status)
        if starts_at == locked.starts_at:
            raise InvalidRequest(_("This is the time you already have."))
        _validate_request(
            location=locked.location,
            service=locked.service,
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
        _reserve(locked, now)
        _give_back(
            locked, delay=timedelta(minutes=settings.BOOKING_CANCELLED_RETURN_MINUTES), only=old
        )
        locked.link_version += 1
        locked.reminder_queued_at = None
        _apply(
            locked,
            Action.REBOOK,
            actor=actor,
            note=f"from {previous_start.isoformat()}",
            fields=["starts_at", "ends_at", "link_version", "reminder_queued_at"],
        )
        mails.moved(locked)
    return locked


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
                locked = _locked(Appointment(pk=appointment_id))
                if locked.status != Status.CONFIRMED or locked.reminder_queued_at is not None:
                    continue
                mails.reminder(locked)
                locked.reminder_queued_at = clock.now()
                locked.save(update_fields=["reminder_queued_at"])
                queued += 1
    return queued


# --- staff: day plan and preparation -----------------------------------------------


def plan_appointment(appointment: Appointment, *, clerk, staff_note: str) -> Appointment:
    """Assign the clerk and the note for staff (no status change)."""
    with transaction.atomic():
        locked = _locked(appointment)
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


# --- emergency requests ---------------------------------------------------------------


def _record_request(request, action, from_status, *, actor, note="") -> None:
    RequestEvent.objects.create(
        request=request,
        action=action,
        from_status=from_status,
        to_status=request.status,
        at=clock.now(),
        actor=actor,
        note=note,
    )


def submit_emergency_request(
    *,
    location,
    service,
    reason: str,
    permit_expires_on: date | None,
    applicant: Applicant,
    message: str = "",
    attachment=None,
    persons: int = 1,
    language: str = "de",
) -> EmergencyRequest:
    if reason in REASONS_WITH_EXPIRY and permit_expires_on is None:
        raise InvalidRequest(_("Please give the date your current permit expires."))
    if not 1 <= persons <= service.max_persons:
        raise InvalidRequest(
            _("This service can be booked for 1 to %(max)s persons.") % {"max": service.max_persons}
        )
    if not service.emergency_eligible:
        raise InvalidRequest(_("There are no emergency appointments for this service."))
    # Only a checked file is kept (invariant 9); checked outside the transaction.
    checked = as_checked(attachment) if attachment is not None else None
    with transaction.atomic():
        request = EmergencyRequest(
            location=location,
            service=service,
            reason=reason,
            permit_expires_on=permit_expires_on,
            applicant_name=applicant.name.strip(),
            applicant_email=applicant.email.strip(),
            applicant_phone=applicant.phone.strip(),
            message=message.strip(),
            persons=persons,
            language=language,
            created_at=clock.now(),
        )
        if checked is not None:
            request.attachment.save(
                f"upload.{checked.extension}", ContentFile(checked.content), save=False
            )
        request.save()
        _record_request(request, RequestAction.SUBMIT, "", actor=None)
        mails.emergency_received(request)
    return request


def accept_emergency_request(
    request: EmergencyRequest, *, starts_at: datetime, actor
) -> Appointment:
    """Turn an open request into an appointment from the emergency quota (and mail it)."""
    with transaction.atomic():
        locked = EmergencyRequest.objects.select_for_update().get(pk=request.pk)
        previous = locked.status
        locked.status = target_of(EMERGENCY_TRANSITIONS, RequestAction.ACCEPT, previous)
        appointment = book(
            location=locked.location,
            service=locked.service,
            persons=locked.persons,
            starts_at=starts_at,
            applicant=Applicant(
                locked.applicant_name, locked.applicant_email, locked.applicant_phone
            ),
            channel=Channel.EMERGENCY,
            language=locked.language,
            actor=actor,
        )
        locked.appointment = appointment
        locked.handled_at, locked.handled_by = clock.now(), actor
        locked.save(update_fields=["status", "appointment", "handled_at", "handled_by"])
        _record_request(locked, RequestAction.ACCEPT, previous, actor=actor)
    return appointment


def reject_emergency_request(request: EmergencyRequest, *, reason: str, actor) -> EmergencyRequest:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidRequest(_("Please give the applicant a reason."))
    with transaction.atomic():
        locked = EmergencyRequest.objects.select_for_update().get(pk=request.pk)
        previous = locked.status
        locked.status = target_of(EMERGENCY_TRANSITIONS, RequestAction.REJECT, previous)
        locked.rejection_reason = reason[:2000]
        locked.handled_at, locked.handled_by = clock.now(), actor
        locked.save(update_fields=["status", "rejection_reason", "handled_at", "handled_by"])
        _record_request(locked, RequestAction.REJECT, previous, actor=actor, note=reason)
        mails.emergency_rejected(locked)
    return locked


# --- request windows ------------------------------------------------------------------


def register_interest(
    window, *, applicant: Applicant, permit_expires_on: date | None, language: str = "de"
) -> WindowRegistration:
    """Register for a request window while it is open; once per person."""
    now = clock.now()
    if not (window.opens_at <= now < window.closes_at) or window.allocated_at is not None:
        raise InvalidRequest(_("This request window is not open."))
    if not applicant.name.strip() or not applicant.email.strip():
        raise InvalidRequest(_("Please give your name and e-mail address."))
    with transaction.atomic():
        registration = WindowRegistration(
            window=window,
            applicant_name=applicant.name.strip(),
            applicant_email=applicant.email.strip(),
            applicant_phone=applicant.phone.strip(),
            permit_expires_on=permit_expires_on,
            language=language,
            person_key=person_key(applicant),
            created_at=now,
        )
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            raise InvalidRequest(_("You are already registered for this window.")) from None
        mails.window_registered(registration)
    return registration


def lottery_key(registration) -> str:
    """The registration's place in the draw: an HMAC of window and registration ids.

    Uniformly random to anyone without the secret key, independent of when and how fast
    someone registered, and reproducible for an audit by the office that holds the key.
    """
    message = f"window:{registration.window_id}:registration:{registration.pk}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def allocation_order(window) -> list[WindowRegistration]:
    registrations = list(window.registrations.all())
    if window.rule == AllocationRule.EARLIEST_EXPIRY:
        far = date.max
        return sorted(registrations, key=lambda r: (r.permit_expires_on or far, lottery_key(r)))
    return sorted(registrations, key=lottery_key)


def allocate_window(window) -> int:
    """After the window closed: give its free times to the registrations, in rule order.

    Each registration gets the earliest free time left (confirmed at once, with the
    usual confirmation mail) or, when none is left, a mail saying so. Runs once: the
    window row is locked and marked allocated in the same transaction.
    """
    from willkommen.booking.models import RequestWindow

    now = clock.now()
    with transaction.atomic():
        locked = RequestWindow.objects.select_for_update().get(pk=window.pk)
        if locked.allocated_at is not None or now < locked.closes_at:
            return 0
        days = (locked.last_day - locked.first_day).days + 1
        allocated = 0
        for registration in allocation_order(locked):
            applicant = Applicant(
                registration.applicant_name, registration.applicant_email,
                registration.applicant_phone,
            )  # fmt: skip
            appointment, has_one = None, False
            for free in selectors.free_times(
                locked.location, locked.service, 1, first_day=locked.first_day, days=days,
                now=now, for_allocation=True,
            ):  # fmt: skip
                try:
                    with transaction.atomic():
                        appointment = book(
                            location=locked.location, service=locked.service, persons=1,
                            starts_at=free.starts_at, applicant=applicant,
                            language=registration.language, allocating=True,
                        )  # fmt: skip
                    break
                except AlreadyBooked:
                    has_one = True  # already has an appointment for this service
                    break
                except (SlotTaken, SlotUnavailable, InvalidRequest):
                    continue
            if appointment is not None:
                registration.appointment = appointment
                registration.save(update_fields=["appointment"])
                allocated += 1
            elif not has_one:
                mails.window_not_allocated(registration)
        locked.allocated_at = now
        locked.save(update_fields=["allocated_at"])
    return allocated


def allocate_closed_windows() -> int:
    from willkommen.booking.models import RequestWindow

    due = RequestWindow.objects.unallocated().filter(closes_at__lte=clock.now())
    return sum(allocate_window(window) for window in due)


__all__ = ["RequestStatus", "Status", "TooEarly", "WrongDay", "check_in", "record_no_show"]
