"""A year (or any span) of believable office history, so dashboards show something real.

Demo data only: the rows are written in bulk, the way the apps' services would
have written them (the same transitions from the same tables, with times that
follow each other), because replaying 50,000 visits through the services one
call at a time would take many minutes. Deterministic for a seed.

What it makes, per location and office day (Monday to Friday, not on the
Land's public holidays), with seasonality (busier in late summer and autumn)
and a weekday pattern (Monday and Thursday are busiest):

- slots with online, staff and emergency capacity, and appointments on them:
  kept (checked in: a visit), missed (no-show), cancelled, or held online and
  never confirmed;
- walk-in and emergency visits, and short matters settled at reception; families
  (several persons present, work items for absent children); waiting, walking
  and serving times; repeat visits and interim certificates;
- emergency requests, accepted or rejected a few hours later;
- cases with their status history, closed after about their service norm or
  still open.

Days before today only: today's numbering and queues belong to the live system.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from django.db import transaction

from willkommen.accounts.models import Team, User
from willkommen.booking.models import (
    Appointment,
    AppointmentEvent,
    EmergencyRequest,
    Slot,
    SlotBooking,
)
from willkommen.booking.models.appointments import new_reference
from willkommen.booking.models.capacity import Channel
from willkommen.booking.models.emergency import EmergencyReason, RequestEvent
from willkommen.booking.states import Action as AppointmentAction
from willkommen.booking.states import RequestAction, RequestStatus
from willkommen.booking.states import Status as AppointmentStatus
from willkommen.cases import codes
from willkommen.cases.models import Case, CaseType, InterimCertificate, Person, StatusChange
from willkommen.cases.services import allocate_reference
from willkommen.catalog.models import Counter, Location, Service
from willkommen.core import clock
from willkommen.frontdesk.models import Origin, Priority, Visit, VisitTransition, WorkItem
from willkommen.frontdesk.services import priority_rank, ticket_prefix
from willkommen.frontdesk.states import Action, Status

HISTORY_USERNAME = "demo-verlauf"
SLOT_MINUTES = 15
MORNING = (time(7, 30), time(12, 30))
THURSDAY_AFTERNOON = (time(14, 0), time(18, 0))
WEEKDAY_FACTOR = (1.25, 1.0, 0.7, 1.15, 0.8, 0, 0)
GIVEN = ("Amira", "Yusuf", "Olena", "Mehmet", "Ana", "Chen", "Fatima", "Ivan", "Priya", "Samuel")
FAMILY = ("Haddad", "Kaya", "Kovalenko", "Nguyen", "Silva", "Popescu", "Okafor", "Rahimi")
BATCH = 2000


@dataclass
class Plan:
    days: int = 365
    visits_per_day: float = 60.0  # per location, on an average office day
    cases_per_day: float = 25.0  # per location
    seed: int = 2026


@dataclass
class Counts:
    visits: int = 0
    work_items: int = 0
    appointments: int = 0
    emergency_requests: int = 0
    cases: int = 0
    skipped: bool = False


@dataclass
class Context:
    """What every generated day needs: the dice, the plan and the catalogue."""

    rng: random.Random
    plan: Plan
    services: list
    weights: list
    prefixes: dict
    counters: dict
    user: User
    counts: Counts
    unique_reference: object  # () -> str


def season(day: date) -> float:
    """About ±20 % over the year, peaking in September (start of studies and jobs)."""
    return 1 + 0.2 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 258) / 365)


def history_user() -> User:
    user, created = User.objects.get_or_create(
        username=HISTORY_USERNAME,
        defaults={"first_name": "Demo", "last_name": "Verlauf", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def generate(plan: Plan) -> Counts:
    """Write the history; does nothing when visits before today exist already (idempotent)."""
    locations = list(Location.objects.filter(is_active=True).order_by("slug"))
    if not locations:
        raise ValueError("No active location: load the catalogue first (load_demo_catalog).")
    first_today = min(clock.local_today(loc.timezone) for loc in locations)
    if Visit.objects.filter(service_day__lt=first_today).exists():
        return Counts(skipped=True)
    rng = random.Random(plan.seed)
    services = list(
        Service.objects.filter(is_active=True, team__isnull=False)
        .select_related("category", "team")
        .order_by("slug")
    )
    if not services:
        raise ValueError("No active service with a team: load the catalogue first.")
    weights = [3 if s.online_bookable else 1 for s in services]
    prefixes = {s.pk: ticket_prefix(s) for s in services}
    counters = {}
    for counter in Counter.objects.filter(is_active=True).order_by("pk"):
        counters.setdefault((counter.location_id, counter.team_id), counter)
        counters.setdefault((counter.location_id, None), counter)
    user = history_user()
    counts = Counts()
    # References are short (typed at reception), so a year of them would collide now and then.
    references = set(Appointment.objects.values_list("reference", flat=True))

    def unique_reference():
        reference = new_reference()
        while reference in references:
            reference = new_reference()
        references.add(reference)
        return reference

    context = Context(
        rng, plan, services, weights, prefixes, counters, user, counts, unique_reference
    )
    for location in locations:
        tz = ZoneInfo(location.timezone)
        today = clock.local_today(location.timezone)
        public_holidays = holidays.country_holidays(
            "DE",
            subdiv=location.state,
            years=range(today.year - plan.days // 365 - 1, today.year + 1),
        )
        for offset in range(plan.days, 0, -1):
            day = today - timedelta(days=offset)
            factor = WEEKDAY_FACTOR[day.weekday()]
            if not factor or day in public_holidays:
                continue
            with transaction.atomic():
                _office_day(context, location, tz, day, factor * season(day))
    with transaction.atomic():
        _cases(rng, plan, locations, user, counts)
    _refresh_statistics()
    return counts


def _refresh_statistics() -> None:
    """After a bulk load, let PostgreSQL's planner know the tables' new sizes at once
    (autovacuum would, a while later); SQLite plans without such statistics."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _at(day: date, tz, minutes: float) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz) + timedelta(minutes=minutes)


def _opening_minutes(day: date) -> list[tuple[int, int]]:
    spans = [MORNING] + ([THURSDAY_AFTERNOON] if day.weekday() == 3 else [])
    return [(s.hour * 60 + s.minute, e.hour * 60 + e.minute) for s, e in spans]


def _office_day(context: Context, location, tz, day: date, factor: float):
    """One office day at one location, its story told in order (long on purpose)."""
    rng, plan, services, weights = context.rng, context.plan, context.services, context.weights
    prefixes, counters, user, counts = (
        context.prefixes,
        context.counters,
        context.user,
        context.counts,
    )
    unique_reference = context.unique_reference
    spans = _opening_minutes(day)
    expected = plan.visits_per_day * factor
    visits, transitions, work, appointments, events, slots, bookings = [], [], [], [], [], [], []
    numbers: dict[str, int] = {}

    # Capacity: one general slot row per channel and quarter hour.
    slot_rows = {}
    per_slot = max(1, round(expected * 0.6 / sum((e - s) / SLOT_MINUTES for s, e in spans)))
    for start, end in spans:
        for minute in range(start, end, SLOT_MINUTES):
            for channel, capacity in (
                (Channel.ONLINE, per_slot),
                (Channel.STAFF, max(1, per_slot // 4)),
                (Channel.EMERGENCY, 1),
            ):
                slot = Slot(
                    location=location,
                    channel=channel,
                    starts_at=_at(day, tz, minute),
                    ends_at=_at(day, tz, minute + SLOT_MINUTES),
                    stage=0,
                    released_at=_at(day - timedelta(days=60), tz, 7 * 60),
                    capacity=capacity,
                    booked=0,
                )
                slot_rows[(channel, minute)] = slot
                slots.append(slot)

    def next_ticket(service):
        prefix = prefixes[service.pk]
        numbers[prefix] = numbers.get(prefix, 0) + 1
        return prefix, numbers[prefix]

    def visit_for(service, priority, origin, arrived, appointment=None, reason=""):
        prefix, number = next_ticket(service)
        persons = rng.choices((1, 2, 3, 4), weights=(80, 14, 4, 2))[0]
        visit = Visit(
            location=location,
            service_day=day,
            ticket_prefix=prefix,
            ticket_number=number,
            service=service,
            team_id=service.team_id,
            origin=origin,
            appointment=appointment,
            priority=priority,
            priority_rank=priority_rank(priority),
            emergency_reason=reason,
            persons_present=persons,
            status=Status.DONE,
            created_at=arrived,
            queued_at=arrived,
            counter=counters.get((location.pk, service.team_id))
            or counters.get((location.pk, None)),
            clerk=user,
            interim_certificate=rng.random() < 0.06,
            repeat_visit=rng.random() < 0.08,
        )
        visits.append(visit)
        return visit

    def served(visit, service, arrived, mean_wait):
        steps = [(Action.ISSUE, "", Status.WAITING, arrived)]
        if visit.origin == Origin.RECEPTION:
            steps = [(Action.SETTLE, "", Status.DONE, arrived)]
        else:
            called = arrived + timedelta(minutes=rng.expovariate(1 / mean_wait))
            started = called + timedelta(minutes=rng.uniform(0.5, 3))
            length = service.duration_minutes * (0.6 + 0.4 * visit.persons_present)
            finished = started + timedelta(minutes=length * rng.lognormvariate(0, 0.3))
            steps += [
                (Action.CALL, Status.WAITING, Status.CALLED, called),
                (Action.START, Status.CALLED, Status.SERVING, started),
                (Action.FINISH, Status.SERVING, Status.DONE, finished),
            ]
        for action, source, target, at in steps:
            transitions.append(
                VisitTransition(
                    visit=visit,
                    action=action,
                    from_status=source,
                    to_status=target,
                    at=at,
                    actor=user,
                    counter=visit.counter,
                    team_id=visit.team_id,
                )
            )
        # A work item for the person who came, for most others present (a husband may
        # just accompany), and for family members who stayed at home (children).
        with_work = 1 + sum(rng.random() < 0.6 for _ in range(visit.persons_present - 1))
        at_home = rng.choices((0, 1, 2, 3), weights=(88, 6, 4, 2))[0]
        for index, present in enumerate([True] * with_work + [False] * at_home):
            work.append(
                WorkItem(
                    visit=visit,
                    service=service,
                    person=f"Person {index + 1}",
                    person_present=present,
                    recorded_at=steps[-1][3],
                    recorded_by=user,
                )
            )

    # Appointments: booked some days ahead; kept, missed, cancelled or never confirmed.
    online = [s for s in services if s.online_bookable] or services
    eligible = [s for s in services if s.emergency_eligible] or services
    requests, request_events = [], []

    def emergency_request(service, starts_at, accepted):
        """An online emergency request, answered hours later (accepted: for ``starts_at``)."""
        created = starts_at - timedelta(hours=rng.lognormvariate(math.log(20), 0.5))
        answered = min(
            created + timedelta(hours=rng.lognormvariate(math.log(4), 0.6)),
            starts_at - timedelta(minutes=30),
        )
        request = EmergencyRequest(
            location=location,
            service=service,
            reason=rng.choice(EmergencyReason.values),
            permit_expires_on=day + timedelta(days=rng.randint(1, 14)),
            applicant_name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            applicant_email=f"notfall{rng.randint(1, 10**9)}@example.org",
            created_at=created,
            status=RequestStatus.ACCEPTED if accepted else RequestStatus.REJECTED,
            handled_at=answered,
            handled_by=user,
            rejection_reason="" if accepted else "Kein Notfall im Sinne der Regelung",
        )
        requests.append(request)
        request_events.extend(
            [
                RequestEvent(
                    request=request,
                    action=RequestAction.SUBMIT,
                    from_status="",
                    to_status=RequestStatus.OPEN,
                    at=created,
                ),
                RequestEvent(
                    request=request,
                    action=RequestAction.ACCEPT if accepted else RequestAction.REJECT,
                    from_status=RequestStatus.OPEN,
                    to_status=request.status,
                    at=answered,
                    actor=user,
                ),
            ]
        )
        return request, answered

    for (channel, _minute), slot in slot_rows.items():
        for _seat in range(slot.capacity):
            starts_at = slot.starts_at
            request = None
            if channel == Channel.EMERGENCY:
                if rng.random() > 0.3:  # most of the protected quota is not needed
                    continue
                service = rng.choice(eligible)
                request, created = emergency_request(service, starts_at, accepted=True)
                fate = rng.choices(("kept", "no_show"), (92, 8))[0]
            else:
                if rng.random() > 0.9:  # some capacity stays free
                    continue
                service = rng.choice(online)
                created = starts_at - timedelta(days=rng.uniform(1, 40), hours=rng.uniform(0, 10))
                fate = rng.choices(("kept", "no_show", "cancelled", "expired"), (77, 10, 8, 5))[0]
            appointment = Appointment(
                reference=unique_reference(),
                location=location,
                service=service,
                persons=1,
                starts_at=starts_at,
                ends_at=slot.ends_at,
                channel=channel,
                applicant_name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                applicant_email=f"demo{rng.randint(1, 10**9)}@example.org",
                language="de",
                person_key=f"{rng.getrandbits(256):064x}",
                created_at=created,
                status={
                    "kept": AppointmentStatus.CHECKED_IN,
                    "no_show": AppointmentStatus.NO_SHOW,
                    "cancelled": AppointmentStatus.CANCELLED,
                    "expired": AppointmentStatus.EXPIRED,
                }[fate],
            )
            appointments.append(appointment)
            if request is not None:
                request.appointment = appointment
            online_hold = channel == Channel.ONLINE
            steps = [
                (
                    AppointmentAction.CREATE,
                    "",
                    AppointmentStatus.HELD if online_hold else AppointmentStatus.CONFIRMED,
                    created,
                ),
            ]
            confirmed = created + timedelta(minutes=rng.uniform(1, 9))
            if fate == "expired":
                steps.append(
                    (
                        AppointmentAction.EXPIRE,
                        AppointmentStatus.HELD,
                        AppointmentStatus.EXPIRED,
                        created + timedelta(minutes=10),
                    )
                )
            else:
                if online_hold:
                    steps.append(
                        (
                            AppointmentAction.CONFIRM,
                            AppointmentStatus.HELD,
                            AppointmentStatus.CONFIRMED,
                            confirmed,
                        )
                    )
                if fate == "cancelled":
                    steps.append(
                        (
                            AppointmentAction.CANCEL,
                            AppointmentStatus.CONFIRMED,
                            AppointmentStatus.CANCELLED,
                            confirmed + (starts_at - confirmed) * rng.random(),
                        )
                    )
                elif fate == "no_show":
                    steps.append(
                        (
                            AppointmentAction.NO_SHOW,
                            AppointmentStatus.CONFIRMED,
                            AppointmentStatus.NO_SHOW,
                            starts_at + timedelta(minutes=15),
                        )
                    )
                else:
                    arrived = starts_at - timedelta(minutes=rng.uniform(-10, 15))
                    steps.append(
                        (
                            AppointmentAction.CHECK_IN,
                            AppointmentStatus.CONFIRMED,
                            AppointmentStatus.CHECKED_IN,
                            arrived,
                        )
                    )
                    priority = Priority.EMERGENCY if request else Priority.APPOINTMENT
                    visit = visit_for(
                        service,
                        priority,
                        Origin.APPOINTMENT,
                        arrived,
                        appointment,
                        reason=request.get_reason_display() if request else "",
                    )
                    visit.queued_at = max(arrived, starts_at)
                    served(visit, service, arrived, mean_wait=8)
            for action, source, target, at in steps:
                events.append(
                    AppointmentEvent(
                        appointment=appointment,
                        action=action,
                        from_status=source,
                        to_status=target,
                        at=at,
                        starts_at=starts_at,
                    )
                )
            if fate in ("kept", "no_show"):
                slot.booked += 1
                bookings.append(SlotBooking(appointment=appointment, slot=slot))

    # Walk-ins, emergencies and short matters, spread over the opening hours.
    open_minutes = [m for start, end in spans for m in range(start, end - 10)]
    for _n in range(round(expected * 0.4 * rng.uniform(0.85, 1.15))):
        service = rng.choices(services, weights)[0]
        arrived = _at(day, tz, rng.choice(open_minutes) + rng.random())
        kind = rng.choices(("walk_in", "emergency", "reception"), (70, 12, 18))[0]
        if kind == "emergency":
            visit = visit_for(
                service,
                Priority.EMERGENCY,
                Origin.WALK_IN,
                arrived,
                reason="Aufenthaltstitel läuft in wenigen Tagen ab",
            )
            served(visit, service, arrived, mean_wait=6)
        elif kind == "reception":
            visit = visit_for(service, Priority.WALK_IN, Origin.RECEPTION, arrived)
            served(visit, service, arrived, mean_wait=1)
        else:
            visit = visit_for(service, Priority.WALK_IN, Origin.WALK_IN, arrived)
            served(visit, service, arrived, mean_wait=35)

    # Requests that were no emergency in the sense of the rules.
    for _n in range(rng.choices((0, 1), (75, 25))[0]):
        emergency_request(rng.choice(eligible), _at(day, tz, 12 * 60), accepted=False)

    # Parents before children: bulk_create fills in the keys the children point to.
    _store(
        slots, appointments, events, bookings, requests, request_events, visits, transitions, work
    )
    counts.visits += len(visits)
    counts.work_items += len(work)
    counts.appointments += len(appointments)
    counts.emergency_requests += len(requests)


def _store(*row_lists) -> None:
    for rows in row_lists:
        if rows:
            type(rows[0]).objects.bulk_create(rows, batch_size=BATCH)


def _cases(rng, plan, locations, user, counts):
    """Cases received on office days over the span; closed after about their norm."""
    case_types = list(
        CaseType.objects.filter(is_active=True).select_related("service").order_by("pk")
    )
    if not case_types:
        return
    statuses = {ct.pk: list(ct.statuses.order_by("position")) for ct in case_types}
    case_types = [ct for ct in case_types if len(statuses[ct.pk]) >= 2]
    now = clock.now()
    teams = {t.pk: t for t in Team.objects.all()}
    planned = []
    for offset in range(plan.days, 0, -1):
        opened = now - timedelta(days=offset)
        if opened.weekday() >= 5:
            continue
        for _n in range(round(plan.cases_per_day * len(locations) * rng.uniform(0.7, 1.3))):
            planned.append(
                (rng.choice(case_types), opened + timedelta(minutes=rng.uniform(0, 480)))
            )
    if not planned:
        return
    by_year: dict[int, list] = {}
    for item in planned:
        by_year.setdefault(item[1].year, []).append(item)
    cases, changes, persons, certificates = [], [], [], []
    for year, items in sorted(by_year.items()):
        last = int(allocate_reference(year=year, count=len(items)).rsplit("-", 1)[1])
        for number, (case_type, opened_at) in enumerate(items, start=last - len(items) + 1):
            path = statuses[case_type.pk]
            length = timedelta(days=max(1.0, case_type.norm_days * rng.lognormvariate(0, 0.45)))
            closes_at = opened_at + length
            closed = closes_at < now
            if closed:
                reached = path
            else:
                share = (now - opened_at) / length
                reached = path[: max(1, min(len(path) - 1, math.ceil(share * (len(path) - 1))))]
            reference = f"ABH-{year}-{number:06d}"
            case = Case(
                reference=reference,
                case_type=case_type,
                status=reached[-1],
                team=teams.get(case_type.service.team_id),
                opened_at=opened_at,
                closed_at=closes_at if closed else None,
                completed_at=opened_at + length * 0.15 if len(reached) > 2 else None,
                contact_email=f"demo{rng.randint(1, 10**9)}@example.org",
                access_code_hash=codes.hash_code(reference, codes.new_access_code()),
                permit_expires_on=(opened_at + timedelta(days=rng.randint(20, 200))).date(),
                source="demo-history",
            )
            cases.append(case)
            step = (closes_at - opened_at) / (len(path) - 1)
            for index, status in enumerate(reached):
                changes.append(
                    StatusChange(
                        case=case,
                        sequence=index + 1,
                        status=status,
                        changed_at=opened_at + step * index,
                        actor=user,
                    )
                )
            persons.append(
                Person(
                    case=case,
                    given_name=rng.choice(GIVEN),
                    family_name=rng.choice(FAMILY),
                    email=case.contact_email,
                )
            )
            if rng.random() < 0.05:
                issued = (opened_at + length * 0.5).date()
                if issued < now.date():
                    certificates.append(
                        InterimCertificate(
                            case=case,
                            number=f"FB-{year}-{number:06d}",
                            issued_on=issued,
                            valid_until=issued + timedelta(days=90),
                            issued_by=user,
                        )
                    )
    _store(cases, changes, persons, certificates)
    counts.cases += len(cases)
