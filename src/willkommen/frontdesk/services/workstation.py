"""The clerk's workstation: signing in at a counter for the day, and the counter's queue."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from willkommen.catalog.models import Counter
from willkommen.core import clock
from willkommen.frontdesk import selectors
from willkommen.frontdesk.models import CounterSession, Visit
from willkommen.frontdesk.services.visits import FrontdeskError
from willkommen.frontdesk.states import AT_COUNTER


@transaction.atomic
def sign_in(*, user, counter: Counter) -> CounterSession:
    if not counter.is_active or not counter.location.is_active:
        raise FrontdeskError(_("This counter is not in use."))
    now = clock.now()
    current = (
        CounterSession.objects.select_for_update(of=("self",))  # not counter and location
        .select_related("counter__location")
        .filter(user=user, ended_at=None)
        .first()
    )
    if current is not None:
        if not _is_of_today(current):
            _end_stale(current)
        elif current.counter_id == counter.pk:
            return current
        else:
            _end(current, now)
    occupied = (
        CounterSession.objects.select_for_update(of=("self",))  # not counter and location
        .select_related("counter__location")
        .filter(counter=counter, ended_at=None)
        .first()
    )
    if occupied is not None and not _is_of_today(occupied):
        _end_stale(occupied)
    elif occupied is not None:
        raise FrontdeskError(_("Someone else is signed in at %(counter)s.") % {"counter": counter})
    try:
        with transaction.atomic():
            return CounterSession.objects.create(counter=counter, user=user, started_at=now)
    except IntegrityError:
        raise FrontdeskError(
            _("Someone else is signed in at %(counter)s.") % {"counter": counter}
        ) from None


def _is_of_today(session: CounterSession) -> bool:
    """A sign-in holds for the day it was made on (the location's day)."""
    return session.started_at >= selectors.start_of_day(session.counter.location)


def _end_stale(session: CounterSession) -> None:
    """A sign-in someone forgot to end: it ends at the midnight after it began."""
    tz = ZoneInfo(session.counter.location.timezone)
    day = session.started_at.astimezone(tz).date() + timedelta(days=1)
    session.ended_at = datetime.combine(day, time.min, tzinfo=tz)
    session.save(update_fields=["ended_at"])


def _end(session: CounterSession, now) -> None:
    if Visit.objects.filter(clerk=session.user, status__in=AT_COUNTER).exists():
        raise FrontdeskError(_("Finish or hand back the current visitor before signing out."))
    session.ended_at = now
    session.save(update_fields=["ended_at"])


@transaction.atomic
def sign_out(*, user) -> None:
    session = CounterSession.objects.select_for_update().filter(user=user, ended_at=None).first()
    if session is not None:
        _end(session, clock.now())


def current_session(user) -> CounterSession | None:
    """The user's sign-in of today; one left open from an earlier day does not count."""
    session = (
        CounterSession.objects.select_related("counter__location", "counter__team")
        .filter(user=user, ended_at=None)
        .first()
    )
    return session if session is not None and _is_of_today(session) else None


def session_or_error(user) -> CounterSession:
    session = current_session(user)
    if session is None:
        raise FrontdeskError(_("Sign in at a counter first."))
    return session


def queue_for(session: CounterSession):
    """The visitors this counter serves, in calling order (see selectors.ordered)."""
    counter = session.counter
    team_ids = [counter.team_id] if counter.team_id else None
    if team_ids is None:
        team_ids = list(session.user.teams.values_list("pk", flat=True)) or None
    return selectors.queue_of(counter.location, team_ids)
