"""A small office morning built by hand through the apps' own services (with the clock moved)."""

from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from tests.accounts.factories import UserFactory
from tests.frontdesk.conftest import office  # noqa: F401 - a fixture
from willkommen.accounts.roles import Role
from willkommen.frontdesk import services as frontdesk
from willkommen.frontdesk.services import WorkItemLine

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2027, 3, 10)


class Clock:
    """The office clock, moved by the test: ``clock.at("08:12")``."""

    def __init__(self, day: date):
        self.day = day
        self.moment = datetime(day.year, day.month, day.day, 7, 0, tzinfo=BERLIN)

    def at(self, hhmm: str, day: date | None = None):
        hours, minutes = map(int, hhmm.split(":"))
        day = day or self.day
        self.moment = datetime(day.year, day.month, day.day, hours, minutes, tzinfo=BERLIN)
        return self

    def __call__(self):
        return self.moment


@pytest.fixture
def clock():
    moving = Clock(DAY)
    with mock.patch("willkommen.core.clock.now", side_effect=moving):
        yield moving


@pytest.fixture
def morning(office, clock):  # noqa: F811 - the fixture from frontdesk
    """One clerk's morning, by hand:

    - 08:00 a father takes a walk-in ticket, 08:05 a woman with her husband (2 persons),
      08:10 an emergency ticket;
    - the clerk calls the emergency at 08:12 (waited 2 min), serves 08:13–08:23, 1 work item;
    - calls the father at 08:25 (25 min), serves 08:27–08:47: himself and his three
      children, who stayed at home: 1 person present, 4 work items;
    - calls the woman at 08:50 (45 min), serves 08:51–09:01, 2 persons, 2 work items;
    - 09:05 reception settles a short matter at the desk: 1 person, 1 work item.
    - Next day: one more walk-in, outside a one-day period.
    """
    reception = UserFactory(roles=[Role.RECEPTION])
    clerk = UserFactory(roles=[Role.CLERK], member_of=[office["family"]])
    extend, location = office["extend"], office["location"]

    def ticket(hhmm, persons=1, emergency=False, day=None):
        clock.at(hhmm, day)
        return frontdesk.issue_ticket(
            location=location,
            service=extend,
            persons_present=persons,
            actor=reception,
            emergency=emergency,
            emergency_reason="Aufenthaltstitel läuft morgen ab" if emergency else "",
        )

    def serve(visit, call, start, end, persons, lines):
        clock.at(call)
        frontdesk.call_visit(visit.pk, user=clerk)
        clock.at(start)
        frontdesk.start(visit.pk, user=clerk)
        clock.at(end)
        frontdesk.finish(visit.pk, user=clerk, persons_present=persons, work_items=lines)

    father = ticket("08:00")
    woman = ticket("08:05", persons=2)
    urgent = ticket("08:10", emergency=True)
    clock.at("08:11")
    frontdesk.sign_in(user=clerk, counter=office["family_counter"])
    serve(urgent, "08:12", "08:13", "08:23", 1, [WorkItemLine(extend, "Frau K.")])
    children = [WorkItemLine(extend, f"Kind {n}", person_present=False) for n in (1, 2, 3)]
    serve(father, "08:25", "08:27", "08:47", 1, [WorkItemLine(extend, "Herr A."), *children])
    serve(
        woman,
        "08:50",
        "08:51",
        "09:01",
        2,
        [WorkItemLine(extend, "Frau B."), WorkItemLine(extend, "Herr B.")],
    )
    clock.at("09:05")
    frontdesk.settle_at_reception(
        location=location,
        service=office["pickup"],
        persons_present=1,
        work_items=[WorkItemLine(office["pickup"], "Herr C.")],
        actor=reception,
        interim_certificate=True,
    )
    ticket("08:00", day=DAY + timedelta(days=1))
    return office


@pytest.fixture
def busy_day(office, clock):  # noqa: F811 - the fixture from frontdesk
    """A fuller day on DAY, through the services, with counts large and small:

    - extending a permit (family team): 12 served (1 work item each, every third
      one for two persons), 3 not there when called, 1 gone before being called;
    - Blue Card (work team): 6 served (2 work items each), 2 gone before being called;
    - short matters at reception: 7 settled, one person and one work item each.
    """
    reception = UserFactory(roles=[Role.RECEPTION])
    family = UserFactory(roles=[Role.CLERK], member_of=[office["family"]])
    work = UserFactory(roles=[Role.CLERK], member_of=[office["work"]])
    location = office["location"]
    clock.at("07:55")
    frontdesk.sign_in(user=family, counter=office["family_counter"])
    frontdesk.sign_in(user=work, counter=office["work_counter"])
    minute = [8 * 60]

    def tick():
        minute[0] += 3
        clock.at(f"{minute[0] // 60:02d}:{minute[0] % 60:02d}")

    def ticket(service, persons=1):
        tick()
        return frontdesk.issue_ticket(
            location=location, service=service, persons_present=persons, actor=reception
        )

    def serve(service, clerk, persons, items):
        visit = ticket(service, persons)
        tick()
        frontdesk.call_visit(visit.pk, user=clerk)
        frontdesk.start(visit.pk, user=clerk)
        tick()
        lines = [
            WorkItemLine(service, f"Person {n}", person_present=n < persons) for n in range(items)
        ]
        frontdesk.finish(visit.pk, user=clerk, persons_present=persons, work_items=lines)

    def no_show(service, clerk):
        visit = ticket(service)
        tick()
        frontdesk.call_visit(visit.pk, user=clerk)
        for _call in range(settings.FRONTDESK_NO_SHOW_AFTER_CALLS - 1):
            frontdesk.recall(visit.pk, user=clerk)
        frontdesk.record_no_show(visit.pk, user=clerk)

    def gone(service):
        visit = ticket(service)
        tick()
        frontdesk.record_left(visit.pk, actor=reception)

    for n in range(12):
        serve(office["extend"], family, 2 if n % 3 == 0 else 1, 1)
    for _n in range(3):
        no_show(office["extend"], family)
    gone(office["extend"])
    for _n in range(6):
        serve(office["blue_card"], work, 1, 2)
    for _n in range(2):
        gone(office["blue_card"])
    for _n in range(7):
        tick()
        frontdesk.settle_at_reception(
            location=location,
            service=office["pickup"],
            persons_present=1,
            work_items=[WorkItemLine(office["pickup"], "Person")],
            actor=reception,
        )
    return office
