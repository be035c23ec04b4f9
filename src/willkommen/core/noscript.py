"""The no-script path of the proof-of-work: a signed waiting ticket.

A browser without JavaScript cannot solve the ALTCHA challenge, and every public
flow must still work without it. Inside ``<noscript>`` a protected form carries a
waiting ticket instead (``core/includes/altcha.html``): signed with
``django.core.signing`` under its own salt, naming the protection's scope, a random
id and the time it was issued. A submission without a solution is accepted only
with a ticket that

1. has a valid signature and names this form's scope (forged or borrowed: refused);
2. is at least ``NOSCRIPT_WAIT_SECONDS`` old: a bot pays in waiting time what a
   browser with JavaScript pays in computation (refused as "too early", which
   changes nothing: the ticket stays usable, so the applicant only waits a little);
3. is not older than the form's lifetime, the lifetime of an ALTCHA challenge;
4. is within ``NOSCRIPT_SUBMISSIONS_PER_ADDRESS_PER_HOUR`` per client address,
   over all forms (``core.ratelimit``; refusals count too);
5. was not accepted before: its id goes into ``UsedWaitingTicket`` (a primary
   key), so of two concurrent submissions exactly one INSERT succeeds.

The API has no such path: a program can solve the challenge.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.translation import ngettext

from willkommen.core import clock, ratelimit
from willkommen.core.models import UsedWaitingTicket

SALT = "willkommen.core.noscript.waiting-ticket"
FIELD = "noscript_ticket"
SCOPE = "noscript-ip"
HOUR = timedelta(hours=1)
# The form's lifetime: as long as the challenge a browser with JavaScript fetches.
LIFETIME = timedelta(minutes=10)


class TicketRefused(Exception):
    """A waiting ticket that cannot be accepted; ``message`` says what to do, translated."""

    def __init__(self):
        seconds = settings.NOSCRIPT_WAIT_SECONDS
        self.message = self.text(seconds) % {"seconds": seconds}
        super().__init__(self.message)

    def text(self, seconds: int) -> str:
        return ngettext(
            "This form was already sent or could not be checked. Please wait %(seconds)s "
            "second and send it again.",
            "This form was already sent or could not be checked. Please wait %(seconds)s "
            "seconds and send it again.",
            seconds,
        )


class TooEarly(TicketRefused):
    def text(self, seconds: int) -> str:
        return ngettext(
            "Please wait a little longer before you send the form: at least %(seconds)s "
            "second after the page has opened. Nothing has been sent yet.",
            "Please wait a little longer before you send the form: at least %(seconds)s "
            "seconds after the page has opened. Nothing has been sent yet.",
            seconds,
        )


class Expired(TicketRefused):
    def text(self, seconds: int) -> str:
        return ngettext(
            "The form was open for too long. Please wait %(seconds)s second and send it again.",
            "The form was open for too long. Please wait %(seconds)s seconds and send it again.",
            seconds,
        )


@dataclass(frozen=True)
class Ticket:
    id: str
    issued_at: datetime


def issue(scope: str) -> str:
    """A new signed ticket for a form protected under ``scope``."""
    issued = int(clock.now().timestamp())
    return signing.dumps({"id": secrets.token_urlsafe(18), "s": scope, "t": issued}, salt=SALT)


def read(value: str, scope: str) -> Ticket:
    """The ticket ``value`` carries if validly signed for ``scope``; TicketRefused if not."""
    if not value or len(value) > 400:
        raise TicketRefused()
    try:
        data = signing.loads(value, salt=SALT)
        ticket = Ticket(str(data["id"]), datetime.fromtimestamp(int(data["t"]), tz=UTC))
        if data["s"] != scope or not ticket.id:
            raise TicketRefused()
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError):
        raise TicketRefused() from None
    return ticket


def age_check(ticket: Ticket) -> None:
    age = clock.now() - ticket.issued_at
    if age < timedelta(seconds=settings.NOSCRIPT_WAIT_SECONDS):
        raise TooEarly()
    if age > LIFETIME:
        raise Expired()


def is_used(ticket: Ticket) -> bool:
    return UsedWaitingTicket.objects.filter(ticket_id=ticket.id).exists()


def redeem(request, value: str, scope: str) -> None:
    """Accept the ticket ``value`` once for ``scope`` (steps 1 to 5 above), or raise.

    Raises TicketRefused (or TooEarly, Expired) with a message for the form, and
    ``ratelimit.RateLimited`` beyond the per-address limit.
    """
    ticket = read(value, scope)
    age_check(ticket)
    ratelimit.enforce(
        SCOPE,
        ratelimit.client_ip(request),
        limit=settings.NOSCRIPT_SUBMISSIONS_PER_ADDRESS_PER_HOUR,
        period=HOUR,
    )
    try:
        with transaction.atomic():  # savepoint: the caller's transaction survives a replay
            UsedWaitingTicket.objects.create(
                ticket_id=ticket.id, expires_at=ticket.issued_at + LIFETIME
            )
    except IntegrityError:
        raise TicketRefused() from None


def for_form(request, scope: str) -> str:
    """The ticket a form shows: the one it was sent with while that one is still good
    (so an applicant told to wait does not start waiting again), else a new one."""
    posted = request.POST.get(FIELD, "") if request is not None else ""
    if posted:
        try:
            ticket = read(posted, scope)
            if clock.now() - ticket.issued_at <= LIFETIME and not is_used(ticket):
                return posted
        except TicketRefused:
            pass
    return issue(scope)


def purge_used(now: datetime | None = None) -> int:
    """Forget used tickets that could not be accepted anyway any more."""
    deleted, _ = UsedWaitingTicket.objects.filter(expires_at__lt=now or clock.now()).delete()
    return deleted
