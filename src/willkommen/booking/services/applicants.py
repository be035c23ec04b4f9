"""Who books, and the rules a request must meet before any capacity is touched."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from willkommen.booking import selectors
from willkommen.booking.errors import InvalidRequest
from willkommen.booking.models import Channel
from willkommen.booking.selectors import BookingSetup
from willkommen.core import clock


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


def validate(
    setup: BookingSetup,
    *,
    persons: int,
    starts_at: datetime,
    applicant: Applicant,
    channel: str,
    now: datetime,
    allocating: bool = False,
) -> None:
    """InvalidRequest with the reason, unless the request meets the rules of ``setup``."""
    location, service = setup.location, setup.service
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
        _validate_online(setup, starts_at, applicant, now, allocating)
    if not applicant.name.strip():
        raise InvalidRequest(_("Please give your name."))
    if not (applicant.email or applicant.birth_date or applicant.phone):
        raise InvalidRequest(_("Please give an e-mail address, a phone number or a date of birth."))
    if setup.rule is not None:
        if setup.rule.asks_birth_date and not applicant.birth_date:
            raise InvalidRequest(_("This service needs your date of birth."))
        if setup.rule.asks_nationality and not applicant.nationality.strip():
            raise InvalidRequest(_("This service needs your nationality."))


def _validate_online(setup, starts_at, applicant, now, allocating) -> None:
    zone = ZoneInfo(setup.location.timezone)
    if starts_at < now + timedelta(hours=setup.policy.min_lead_hours):
        raise InvalidRequest(_("This time is too soon to be booked online."))
    local_day = starts_at.astimezone(zone).date()
    last_day = clock.local_today(setup.location.timezone) + timedelta(
        days=setup.policy.horizon_days
    )
    if local_day > last_day:
        raise InvalidRequest(_("This day cannot be booked yet."))
    if not applicant.email:
        raise InvalidRequest(_("Please give your e-mail address."))
    if not allocating and selectors.in_window(local_day, setup.window_days):
        raise InvalidRequest(
            _(
                "Times on this day are given out by a request window, not first come "
                "first served. Please register your interest instead."
            )
        )
