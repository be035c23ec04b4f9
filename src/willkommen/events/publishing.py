"""Every recorded transition becomes a CloudEvents 1.0 event for the subscribers.

How we hook in without the apps to our left knowing us: every transition history
(booking's appointment and request events, visit transitions, case status changes)
is an append-only model, written once with ``save()`` inside the transaction of the
change. A ``post_save`` receiver for those four models (connected in
``EventsConfig.ready()``) builds the event and stores one ``Delivery`` per subscriber
in that same transaction, so a rolled-back change publishes nothing and a committed
one is delivered (``delivery.py``). Rows written with ``bulk_create`` (the history of
past days: demo data, imports) send no signal and are not published: they are not
news, and a subscriber would receive a year in one go.

The event is CloudEvents 1.0 in structured mode (``application/cloudevents+json``).
Its id is derived from the history row ("case-status-17"), so it is the same on
every attempt and for every subscriber. ``data`` carries ids, codes and times only;
names, contact details, references, staff and notes are added under ``personal``
for subscribers allowed personal data.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save

from willkommen.booking.models import AppointmentEvent, RequestEvent
from willkommen.cases.models import Person, StatusChange
from willkommen.core import clock
from willkommen.events.models import Delivery, EventType, Subscriber
from willkommen.frontdesk.models import VisitTransition

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"


@dataclass(frozen=True)
class Transition:
    """What one history row says, before it is addressed to a subscriber."""

    id: str
    type: str
    subject: str
    time: object  # an aware datetime
    data: dict
    personal: Callable[[], dict]  # only called when some subscriber may have it


def _utc(moment) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _actor(user) -> str:
    return user.get_username() if user is not None else ""


def appointment_transition(row: AppointmentEvent) -> Transition:
    appointment = row.appointment
    return Transition(
        id=f"appointment-event-{row.pk}",
        type=EventType.APPOINTMENT,
        subject=f"appointments/{appointment.pk}",
        time=row.at,
        data={
            "appointment_id": appointment.pk,
            "action": row.action,
            "from_status": row.from_status,
            "to_status": row.to_status,
            "location": appointment.location.slug,
            "service": appointment.service.slug,
            "starts_at": _utc(row.starts_at),
            "persons": appointment.persons,
            "channel": appointment.channel,
            "by_staff": row.actor_id is not None,
        },
        personal=lambda: {
            "reference": appointment.reference,
            "applicant": {
                "name": appointment.applicant_name,
                "email": appointment.applicant_email,
                "phone": appointment.applicant_phone,
                "birth_date": appointment.birth_date.isoformat()
                if appointment.birth_date
                else None,
                "nationality": appointment.nationality,
            },
            "actor": _actor(row.actor),
            "note": row.note,
        },
    )


def request_transition(row: RequestEvent) -> Transition:
    request = row.request
    return Transition(
        id=f"request-event-{row.pk}",
        type=EventType.EMERGENCY_REQUEST,
        subject=f"emergency-requests/{request.pk}",
        time=row.at,
        data={
            "request_id": request.pk,
            "action": row.action,
            "from_status": row.from_status,
            "to_status": row.to_status,
            "location": request.location.slug,
            "service": request.service.slug,
            "reason": request.reason,
            "persons": request.persons,
            "appointment_id": request.appointment_id,
            "by_staff": row.actor_id is not None,
        },
        personal=lambda: {
            "applicant": {
                "name": request.applicant_name,
                "email": request.applicant_email,
                "phone": request.applicant_phone,
            },
            "permit_expires_on": (
                request.permit_expires_on.isoformat() if request.permit_expires_on else None
            ),
            "actor": _actor(row.actor),
            "note": row.note,
        },
    )


def visit_transition(row: VisitTransition) -> Transition:
    visit = row.visit
    return Transition(
        id=f"visit-transition-{row.pk}",
        type=EventType.VISIT,
        subject=f"visits/{visit.pk}",
        time=row.at,
        data={
            "visit_id": visit.pk,
            "action": row.action,
            "from_status": row.from_status,
            "to_status": row.to_status,
            "location": visit.location.slug,
            "service": visit.service.slug,
            "team": visit.team.slug,
            "day": visit.service_day.isoformat(),
            "ticket": visit.ticket,  # shown on the waiting-room screen: names nobody
            "origin": visit.origin,
            "priority": visit.priority,
            "persons_present": visit.persons_present,
            "counter": row.counter.name if row.counter_id else None,
            "appointment_id": visit.appointment_id,
        },
        personal=lambda: {"actor": _actor(row.actor), "note": row.note},
    )


def case_transition(row: StatusChange) -> Transition:
    case = row.case

    def personal() -> dict:
        applicant = Person.objects.filter(case=case, role=Person.Role.APPLICANT).first()
        return {
            "reference": case.reference,
            "applicant": (
                {
                    "given_name": applicant.given_name,
                    "family_name": applicant.family_name,
                    "date_of_birth": (
                        applicant.date_of_birth.isoformat() if applicant.date_of_birth else None
                    ),
                    "nationality": applicant.nationality,
                    "email": applicant.email or case.contact_email,
                }
                if applicant
                else None
            ),
            "actor": _actor(row.actor),
            "note": row.note,
        }

    return Transition(
        id=f"case-status-{row.pk}",
        type=EventType.CASE,
        subject=f"cases/{case.pk}",
        time=row.changed_at,
        data={
            "case_id": case.pk,
            "case_type": case.case_type.service.slug,
            "sequence": row.sequence,
            "status": row.status.code,
            "phase": row.status.phase,
            "team": case.team.slug,
            "source": case.source,
            "by_staff": row.actor_id is not None,
        },
        personal=personal,
    )


TRANSITIONS: dict[type, tuple[EventType, Callable[..., Transition]]] = {
    AppointmentEvent: (EventType.APPOINTMENT, appointment_transition),
    RequestEvent: (EventType.EMERGENCY_REQUEST, request_transition),
    VisitTransition: (EventType.VISIT, visit_transition),
    StatusChange: (EventType.CASE, case_transition),
}


def cloudevent(transition: Transition, *, personal: dict | None) -> dict:
    """The event as a CloudEvents 1.0 structured JSON object."""
    data = dict(transition.data)
    if personal is not None:
        data["personal"] = personal
    return {
        "specversion": "1.0",
        "id": transition.id,
        "source": settings.EVENTS_SOURCE,
        "type": str(transition.type),
        "subject": transition.subject,
        "time": _utc(transition.time),
        "datacontenttype": "application/json",
        "data": data,
    }


def publish(transition: Transition, subscribers: list[Subscriber]) -> list[Delivery]:
    """Queue ``transition`` for ``subscribers``, in the caller's transaction."""
    personal = transition.personal() if any(s.personal_data for s in subscribers) else None
    now = clock.now()
    deliveries = [
        Delivery(
            subscriber=subscriber,
            event_id=transition.id,
            event_type=transition.type,
            body=json.dumps(
                cloudevent(transition, personal=personal if subscriber.personal_data else None),
                ensure_ascii=False,
                separators=(",", ":"),
            ),
            created_at=now,
            next_attempt_at=now,
        )
        for subscriber in subscribers
    ]
    return Delivery.objects.bulk_create(deliveries)


def on_history_saved(sender, instance, created, raw=False, **kwargs):
    """post_save of a history row: publish it with the change it records."""
    if not created or raw:
        return
    event_type, build = TRANSITIONS[sender]
    # Asked first: without a subscriber the transition costs this one query, and the
    # event (which reads the location, the service, …) is not built at all.
    subscribers = Subscriber.objects.wanting(event_type)
    if subscribers:
        if not transaction.get_connection().in_atomic_block:
            # Every service writes its history inside a transaction; a row saved outside
            # one is committed already, so the event is stored in a transaction of its own.
            logger.warning("%s %s saved outside a transaction", sender.__name__, instance.pk)
        with transaction.atomic():
            publish(build(instance), subscribers)


def connect() -> None:
    for model in TRANSITIONS:
        post_save.connect(on_history_saved, sender=model, dispatch_uid=f"events:{model.__name__}")
