"""Request windows: applicants register instead of racing; after the window closes its
times are given out in the window's order (lottery, or earliest permit expiry)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from willkommen.booking import mails, selectors
from willkommen.booking.errors import AlreadyBooked, InvalidRequest, SlotTaken, SlotUnavailable
from willkommen.booking.models import RequestWindow, WindowRegistration
from willkommen.booking.models.windows import AllocationRule
from willkommen.booking.services.applicants import Applicant, person_key
from willkommen.booking.services.appointments import book
from willkommen.core import clock


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


def _allocate_one(window, registration, now):
    """The earliest free time left for the registration, booked confirmed; None if none
    is left; AlreadyBooked if the person already has an appointment for the service."""
    applicant = Applicant(
        registration.applicant_name, registration.applicant_email, registration.applicant_phone
    )
    days = (window.last_day - window.first_day).days + 1
    for free in selectors.free_times(
        window.location, window.service, 1, first_day=window.first_day, days=days, now=now,
        for_allocation=True,
    ):  # fmt: skip
        try:
            with transaction.atomic():
                return book(
                    location=window.location, service=window.service, persons=1,
                    starts_at=free.starts_at, applicant=applicant,
                    language=registration.language, allocating=True,
                )  # fmt: skip
        except (SlotTaken, SlotUnavailable, InvalidRequest):
            continue
    return None


def allocate_window(window) -> int:
    """After the window closed: give its free times to the registrations, in rule order.

    Each registration gets the earliest free time left (confirmed at once, with the
    usual confirmation mail) or, when none is left, a mail saying so. Runs once: the
    window row is locked and marked allocated in the same transaction.
    """
    now = clock.now()
    with transaction.atomic():
        locked = RequestWindow.objects.select_for_update().get(pk=window.pk)
        if locked.allocated_at is not None or now < locked.closes_at:
            return 0
        allocated = 0
        for registration in allocation_order(locked):
            try:
                appointment = _allocate_one(locked, registration, now)
            except AlreadyBooked:
                continue  # already has an appointment for this service
            if appointment is None:
                mails.window_not_allocated(registration)
                continue
            registration.appointment = appointment
            registration.save(update_fields=["appointment"])
            allocated += 1
        locked.allocated_at = now
        locked.save(update_fields=["allocated_at"])
    return allocated


def allocate_closed_windows() -> int:
    due = RequestWindow.objects.unallocated().filter(closes_at__lte=clock.now())
    return sum(allocate_window(window) for window in due)
