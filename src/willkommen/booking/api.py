"""Booking over the JSON API: the same services as the pages (availability, hold, confirm,
cancel, rebook), and the ALTCHA challenge for the hold."""

from datetime import date, datetime, timedelta
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from willkommen.booking import caching, links, protection, selectors, services
from willkommen.booking.errors import REFUSED, SlotTaken
from willkommen.catalog.api import request_language
from willkommen.catalog.models import Location, Service
from willkommen.core import clock
from willkommen.core import protection as core_protection
from willkommen.core.api import Input, Text

router = Router(tags=["booking"])

MAX_DAYS = 62
# Stricter than RFC 5322 on purpose: what Django's EmailValidator accepts, as a pattern.
EMAIL_PATTERN = (
    r"^[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@"
    r"([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


class BookingErrorOut(Schema):
    code: str | None = Field(None, description="Stable error code, e.g. slot_taken")
    detail: str


class BookingInvalidOut(Schema):
    """Input that does not match the documented types and limits (django-ninja's 422)."""

    detail: list[dict]


class SlotTakenOut(BookingErrorOut):
    next_free: list[datetime] = Field([], description="The next free times (slot_taken only)")


class HoldsTooManyOut(Schema):
    detail: str
    retry_after: int


class FreeSlotOut(Schema):
    starts_at: datetime
    ends_at: datetime
    free: int


class AvailabilityOut(Schema):
    location: str
    service: str
    persons: int
    minutes: int
    slots: list[FreeSlotOut]


class AvailabilityQuery(Schema):
    location: Text(50)
    service: Text(50)
    persons: int = Field(1, ge=1, le=20)
    start: date | None = Field(None, alias="from", description="First day (default: today)")
    days: int = Field(14, ge=1, le=MAX_DAYS)
    lang: Text(20) | None = None


class HoldIn(Input):
    location: Text(50)
    service: Text(50)
    persons: int = Field(1, ge=1, le=20)
    starts_at: datetime
    name: Text(150, min_length=1)
    email: str = Field(..., max_length=254, pattern=EMAIL_PATTERN)
    phone: str = Field("", max_length=40, pattern=r"^[0-9+()/ .-]*$")
    birth_date: date | None = None
    nationality: Text(80) = ""
    consent: Literal[True] = Field(..., description="Consent to the processing of the data")
    altcha: Text(4000) = Field("", description="The solved ALTCHA payload")
    lang: Text(20) | None = None


class AppointmentOut(Schema):
    reference: str
    status: str
    location: str
    service: str
    persons: int
    starts_at: datetime
    ends_at: datetime
    hold_expires_at: datetime | None


class ConfirmedOut(AppointmentOut):
    manage_token: str = Field(..., description="For cancel and rebook (also in the e-mail)")


class TokenIn(Input):
    token: Text(500, min_length=10)


class RebookIn(TokenIn):
    starts_at: datetime


def _appointment_out(appointment) -> dict:
    return {
        "reference": appointment.reference,
        "status": appointment.status,
        "location": appointment.location.slug,
        "service": appointment.service.slug,
        "persons": appointment.persons,
        "starts_at": appointment.starts_at,
        "ends_at": appointment.ends_at,
        "hold_expires_at": appointment.hold_expires_at,
    }


def NotFound(detail: str) -> HttpError:
    return HttpError(404, detail)


def _choice(location_slug: str, service_slug: str):
    """The location and the online-bookable service, or 404."""
    location = Location.objects.active().filter(slug=location_slug).first()
    service = (
        Service.objects.active().select_related("booking_rule").filter(slug=service_slug).first()
    )
    if location is None or service is None or not service.online_bookable:
        raise NotFound(_("Location or service not found, or not bookable online"))
    return location, service


def _refused(error, *, location=None, service=None, persons=1, after=None, setup=None):
    body = {"code": error.code, "detail": str(error.message)}
    if isinstance(error, SlotTaken):
        body["next_free"] = [
            free.starts_at
            for free in selectors.next_free_times(
                location, service, persons, after=after, setup=setup
            )
        ]
    return Status(error.http_status, body)


@router.get(
    "/availability",
    response={200: AvailabilityOut, 404: BookingErrorOut, 422: BookingInvalidOut},
    summary="Free appointment times for a service at a location",
)
def availability(request: HttpRequest, response: HttpResponse, query: Query[AvailabilityQuery]):
    """The same answer for everyone: a shared cache may keep it for a moment (caching.py)."""
    # Its Content-Language may come from Accept-Language: Django's LocaleMiddleware
    # adds "Vary: Accept-Language" to every answer outside the language-prefixed URLs.
    request_language(request, query.lang, response)
    location, service = _choice(query.location, query.service)
    if query.persons > service.max_persons:
        raise NotFound(_("No appointments for this many persons"))
    today = clock.local_today(location.timezone)
    first = query.start or today
    if first > today + timedelta(days=400):
        raise NotFound(_("No appointments that far ahead"))
    slots = selectors.free_times(location, service, query.persons, first_day=first, days=query.days)
    caching.mark_public(response)
    return {
        "location": location.slug,
        "service": service.slug,
        "persons": query.persons,
        "minutes": selectors.minutes_for(service, query.persons),
        "slots": [
            {"starts_at": free.starts_at, "ends_at": free.ends_at, "free": free.free}
            for free in slots
        ],
    }


@router.get("/altcha/challenge", url_name="altcha_challenge", summary="A proof-of-work challenge")
def altcha_challenge(request: HttpRequest) -> dict:
    return core_protection.new_challenge()


@router.post(
    "/holds",
    response={
        201: AppointmentOut,
        400: BookingErrorOut,
        404: BookingErrorOut,
        409: SlotTakenOut,
        410: BookingErrorOut,
        422: BookingInvalidOut,
        429: HoldsTooManyOut,
    },
    summary="Hold a time for 10 minutes; the e-mail's link confirms it",
)
def hold(request: HttpRequest, response: HttpResponse, payload: HoldIn):
    language = request_language(request, payload.lang, response)
    location, service = _choice(payload.location, payload.service)
    try:
        validate_email(payload.email)
    except ValidationError:
        return Status(
            400, {"code": "invalid_email", "detail": _("Please give a valid e-mail address.")}
        )
    # Read once: the booking needs it, and a refusal's next free times again.
    setup = selectors.BookingSetup.of(location, service)
    with translation.override(language):
        try:
            protection.check_hold(request, payload.altcha, payload.email)
            appointment = services.book(
                location=location,
                service=service,
                persons=payload.persons,
                starts_at=payload.starts_at,
                applicant=services.Applicant(
                    name=payload.name,
                    email=payload.email,
                    phone=payload.phone,
                    birth_date=payload.birth_date,
                    nationality=payload.nationality,
                ),
                language=language,
                setup=setup,
            )
        except REFUSED as error:
            return _refused(
                error,
                location=location,
                service=service,
                persons=payload.persons,
                after=payload.starts_at,
                setup=setup,
            )
    return Status(201, _appointment_out(appointment))


@router.post(
    "/holds/confirm",
    response={
        200: ConfirmedOut,
        400: BookingErrorOut,
        404: BookingErrorOut,
        409: BookingErrorOut,
        410: BookingErrorOut,
        422: BookingInvalidOut,
        429: HoldsTooManyOut,
    },
    summary="Confirm a hold with the token from the e-mail's link",
)
def confirm(request: HttpRequest, payload: TokenIn):
    protection.check_link_action(request)
    try:
        appointment, _newly = services.confirm(payload.token)
    except REFUSED as error:
        return _refused(error)
    return Status(
        200,
        {
            **_appointment_out(appointment),
            "manage_token": links.make_token(appointment, links.MANAGE),
        },
    )


@router.post(
    "/appointments/cancel",
    response={
        200: AppointmentOut,
        400: BookingErrorOut,
        404: BookingErrorOut,
        409: BookingErrorOut,
        422: BookingInvalidOut,
        429: HoldsTooManyOut,
    },
    summary="Cancel an appointment with its manage token",
)
def cancel(request: HttpRequest, payload: TokenIn):
    protection.check_link_action(request)
    try:
        appointment = services.cancel(services.appointment_for_link(payload.token))
    except REFUSED as error:
        return _refused(error)
    return Status(200, _appointment_out(appointment))


@router.post(
    "/appointments/rebook",
    response={
        200: ConfirmedOut,
        400: BookingErrorOut,
        404: BookingErrorOut,
        409: SlotTakenOut,
        422: BookingInvalidOut,
        429: HoldsTooManyOut,
    },
    summary="Move an appointment to another free time; the reference stays",
)
def rebook(request: HttpRequest, payload: RebookIn):
    protection.check_link_action(request)
    try:
        appointment = services.appointment_for_link(payload.token)
    except REFUSED as error:
        return _refused(error)
    try:
        moved = services.rebook(appointment, starts_at=payload.starts_at)
    except REFUSED as error:
        return _refused(
            error,
            location=appointment.location,
            service=appointment.service,
            persons=appointment.persons,
            after=payload.starts_at,
        )
    return Status(
        200, {**_appointment_out(moved), "manage_token": links.make_token(moved, links.MANAGE)}
    )
