from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from tests.accounts.factories import TeamFactory, UserFactory
from tests.catalog.factories import LocationFactory
from tests.frontdesk.factories import clerk_at, walk_in
from willkommen.accounts.roles import Role
from willkommen.frontdesk import selectors, services
from willkommen.frontdesk.models import Visit, VisitTransition, WorkItem
from willkommen.frontdesk.services import FrontdeskError, QueueEmpty, WorkItemLine, visits
from willkommen.frontdesk.states import Status, TransitionNotAllowed

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in the source language here; pages are tested in German."""
    with translation.override("en"):
        yield


def test_tickets_are_numbered_per_prefix_location_and_day(office, frozen_clock):
    loc = office["location"]
    a1 = walk_in(loc, office["extend"])
    a2 = walk_in(loc, office["extend"])
    b1 = walk_in(loc, office["blue_card"])
    other = walk_in(LocationFactory(), office["extend"])
    assert [a1.ticket, a2.ticket, b1.ticket, other.ticket] == ["A001", "A002", "B001", "A001"]


def test_numbering_restarts_at_the_locations_midnight(office, frozen_clock):
    loc = office["location"]
    frozen_clock.return_value = frozen_clock.return_value.replace(hour=23, minute=59)
    late = walk_in(loc, office["extend"])
    walk_in(loc, office["extend"])
    # 00:01 in Berlin is still the previous day in UTC: the local day counts.
    frozen_clock.return_value = frozen_clock.return_value + timedelta(minutes=2)
    early = walk_in(loc, office["extend"])
    assert late.ticket == "A001" and early.ticket == "A001"
    assert early.service_day == late.service_day + timedelta(days=1)


def test_a_ticket_number_cannot_be_given_twice(office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    clone = Visit.objects.get(pk=visit.pk)
    clone.pk, clone.token = None, "other"
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_emergency_needs_a_reason_and_jumps_the_queue(office, frozen_clock):
    loc = office["location"]
    first = walk_in(loc, office["extend"])
    with pytest.raises(FrontdeskError):
        services.issue_ticket(
            location=loc, service=office["extend"], persons_present=1, actor=None,
            emergency=True, emergency_reason="  ",
        )  # fmt: skip
    assert Visit.objects.count() == 1
    urgent = walk_in(
        loc, office["extend"], emergency=True, emergency_reason="Flug morgen, Titel läuft heute ab"
    )
    assert urgent.priority == "emergency"
    assert urgent.transitions.get().note.startswith("Flug")
    clerk = clerk_at(office["family_counter"])
    assert services.call_next(user=clerk) == urgent
    assert first.pk != urgent.pk


def test_call_next_orders_by_priority_then_time_and_waits_for_early_appointments(
    office, frozen_clock
):
    loc = office["location"]
    now = frozen_clock.return_value
    walk = walk_in(loc, office["extend"])
    early = visits.create_visit(
        "issue", location=loc, service=office["extend"], persons_present=1, actor=None,
        origin="appointment", priority="appointment", queued_at=now + timedelta(minutes=30),
    )  # fmt: skip
    frozen_clock.return_value = now + timedelta(minutes=1)
    due = visits.create_visit(
        "issue", location=loc, service=office["extend"], persons_present=1, actor=None,
        origin="appointment", priority="appointment", queued_at=now - timedelta(minutes=5),
    )  # fmt: skip
    session = services.current_session(clerk_at(office["family_counter"]))
    order = list(services.queue_for(session))
    # A due appointment first, then the walk-in; the early appointment waits for its start.
    assert order == [due, walk, early]


def test_clerk_gets_only_their_counters_queue(office, frozen_clock):
    loc = office["location"]
    walk_in(loc, office["blue_card"])
    clerk = clerk_at(office["family_counter"])
    with pytest.raises(QueueEmpty):
        services.call_next(user=clerk)
    assert services.call_next(user=clerk_at(office["work_counter"])).ticket == "B001"


def test_calling_while_serving_is_refused(office, frozen_clock):
    loc = office["location"]
    walk_in(loc, office["extend"])
    second = walk_in(loc, office["extend"])
    clerk = clerk_at(office["family_counter"])
    services.call_next(user=clerk)
    with pytest.raises(FrontdeskError, match="already serving"):
        services.call_next(user=clerk)
    with pytest.raises(FrontdeskError):
        services.call_visit(second.pk, user=clerk)
    assert Visit.objects.get(pk=second.pk).status == Status.WAITING


def test_a_stale_page_cannot_act_on_a_visit_another_clerk_took(office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    anna = clerk_at(office["family_counter"])
    ben = clerk_at(office["family_counter_2"])
    services.call_visit(visit.pk, user=anna)
    for act in (services.start, services.recall, services.requeue, services.hold):
        with pytest.raises(FrontdeskError, match="not with you"):
            act(visit.pk, user=ben)
    with pytest.raises(TransitionNotAllowed):
        services.call_visit(visit.pk, user=ben)
    visit.refresh_from_db()
    assert (visit.status, visit.clerk) == (Status.CALLED, anna)


def test_no_show_only_after_the_configured_calls(office, frozen_clock, settings):
    settings.FRONTDESK_NO_SHOW_AFTER_CALLS = 3
    visit = walk_in(office["location"], office["extend"])
    clerk = clerk_at(office["family_counter"])
    services.call_next(user=clerk)
    services.recall(visit.pk, user=clerk)
    with pytest.raises(FrontdeskError, match="at least 3"):
        services.record_no_show(visit.pk, user=clerk)
    services.recall(visit.pk, user=clerk)
    assert services.record_no_show(visit.pk, user=clerk).status == Status.NO_SHOW
    calls = visit.transitions.filter(action__in=["call", "recall"]).count()
    assert calls == 3


def test_requeue_puts_the_visitor_back_and_frees_the_clerk(office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    clerk = clerk_at(office["family_counter"])
    services.call_next(user=clerk)
    services.requeue(visit.pk, user=clerk)
    visit.refresh_from_db()
    assert (visit.status, visit.clerk, visit.counter) == (Status.WAITING, None, None)
    assert services.call_next(user=clerk) == visit


def test_transfer_keeps_the_ticket_and_finishing_it_is_refused(office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    anna = clerk_at(office["family_counter"])
    services.call_next(user=anna)
    services.start(visit.pk, user=anna)
    services.transfer(visit.pk, user=anna, team=office["work"], note="Blaue Karte prüfen")
    with pytest.raises(FrontdeskError):
        services.finish(
            visit.pk, user=anna, persons_present=1,
            work_items=[WorkItemLine(office["extend"], "Antragsteller")],
        )  # fmt: skip
    bo = clerk_at(office["work_counter"])
    again = services.call_next(user=bo)
    assert again.pk == visit.pk and again.ticket == "A001" and again.team == office["work"]
    assert not WorkItem.objects.exists()


def test_finish_records_persons_present_and_work_items(office, frozen_clock):
    """A father present for himself and his three children: 1 visit, 1 person, 4 work items."""
    visit = walk_in(office["location"], office["extend"])
    clerk = clerk_at(office["family_counter"])
    services.call_next(user=clerk)
    services.start(visit.pk, user=clerk)
    frozen_clock.return_value += timedelta(minutes=12)
    lines = [WorkItemLine(office["extend"], "Vater", True)] + [
        WorkItemLine(office["extend"], f"Kind {n}", False) for n in (1, 2, 3)
    ]
    done = services.finish(
        visit.pk, user=clerk, persons_present=1, work_items=lines, interim_certificate=True
    )
    assert done.status == Status.DONE and done.persons_present == 1 and done.interim_certificate
    assert done.work_items.count() == 4
    assert done.work_items.filter(person_present=True).count() == 1
    times = selectors.visit_times(done)
    assert times.serving_minutes == 12 and times.walking_minutes == 0


def test_finish_refuses_more_present_people_than_came(office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    clerk = clerk_at(office["family_counter"])
    services.call_next(user=clerk)
    services.start(visit.pk, user=clerk)
    lines = [WorkItemLine(office["extend"], "Mutter"), WorkItemLine(office["extend"], "Vater")]
    with pytest.raises(FrontdeskError, match="only 1 came"):
        services.finish(visit.pk, user=clerk, persons_present=1, work_items=lines)
    with pytest.raises(FrontdeskError):
        services.finish(visit.pk, user=clerk, persons_present=1, work_items=[])
    assert Visit.objects.get(pk=visit.pk).status == Status.SERVING
    assert not WorkItem.objects.exists()


def test_hold_and_resume_keep_the_visitor_with_the_clerk(office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    other = walk_in(office["location"], office["extend"])
    clerk = clerk_at(office["family_counter"])
    services.call_next(user=clerk)
    services.start(visit.pk, user=clerk)
    services.hold(visit.pk, user=clerk, note="Kopie holen")
    # While one waits on hold, the clerk serves the next visitor.
    assert services.call_next(user=clerk) == other
    with pytest.raises(FrontdeskError, match="already serving"):
        services.resume(visit.pk, user=clerk)
    services.start(other.pk, user=clerk)
    services.finish(
        other.pk, user=clerk, persons_present=1, work_items=[WorkItemLine(office["extend"], "x")]
    )
    assert services.resume(visit.pk, user=clerk).status == Status.SERVING


def test_short_matter_is_settled_without_a_clerk(office, frozen_clock):
    reception = UserFactory(roles=[Role.RECEPTION])
    pickup = office["pickup"]
    visit = services.settle_at_reception(
        location=office["location"], service=pickup, persons_present=2, actor=reception,
        work_items=[WorkItemLine(pickup, "Mutter"), WorkItemLine(pickup, "Sohn")],
    )  # fmt: skip
    assert visit.status == Status.DONE and visit.origin == "reception"
    assert visit.transitions.get().action == "settle"
    assert visit.work_items.count() == 2
    with pytest.raises(FrontdeskError, match="not a short matter"):
        services.settle_at_reception(
            location=office["location"], service=office["extend"], persons_present=1,
            actor=reception, work_items=[WorkItemLine(office["extend"], "x")],
        )  # fmt: skip
    assert Visit.objects.count() == 1


def test_document_check_records_what_is_missing(office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    passport, photo = office["extend"].checklist.all()
    checked = services.record_document_check(visit.pk, present_item_ids={passport.pk}, actor=None)
    assert [d["id"] for d in checked.missing_documents] == [photo.pk]
    assert checked.documents_checked_at is not None


def test_team_lead_reprioritises_and_reassigns_with_a_record(office, frozen_clock):
    lead = UserFactory(roles=[Role.TEAM_LEAD])
    visit = walk_in(office["location"], office["extend"])
    with pytest.raises(FrontdeskError):
        services.reprioritise(visit.pk, actor=lead, priority="emergency")
    services.reprioritise(visit.pk, actor=lead, priority="emergency", reason="Kind krank")
    services.reassign(visit.pk, actor=lead, team=office["work"])
    visit.refresh_from_db()
    assert (visit.priority, visit.priority_rank, visit.team) == ("emergency", 0, office["work"])
    assert list(visit.transitions.values_list("action", flat=True)) == [
        "issue", "reprioritise", "reassign",
    ]  # fmt: skip
    clerk = clerk_at(office["family_counter"])  # the family clerk no longer sees it
    with pytest.raises(QueueEmpty):
        services.call_next(user=clerk)


def test_counter_sign_in_is_exclusive(office, frozen_clock):
    clerk_at(office["family_counter"])
    with pytest.raises(FrontdeskError, match="Someone else"):
        clerk_at(office["family_counter"])


def test_sign_out_refused_while_serving(office, frozen_clock):
    walk_in(office["location"], office["extend"])
    clerk = clerk_at(office["family_counter"])
    services.call_next(user=clerk)
    with pytest.raises(FrontdeskError):
        services.sign_out(user=clerk)
    assert services.current_session(clerk) is not None


def test_wait_estimate_from_open_counters_then_from_the_observed_rate(office, frozen_clock):
    loc = office["location"]
    visits = [walk_in(loc, office["extend"]) for _ in range(6)]
    last = visits[-1]
    assert selectors.estimate_wait(last).minutes is None  # nobody signed in
    clerk = clerk_at(office["family_counter"])
    clerk_at(office["family_counter_2"])
    estimate = selectors.estimate_wait(last)
    # 5 ahead, 20 planned minutes each, 2 counters: (5 + 1) × 20 ÷ 2 = 60
    assert (estimate.position, estimate.minutes, estimate.observed) == (5, 60, False)
    for visit in visits[:3]:
        services.call_next(user=clerk)
        services.start(visit.pk, user=clerk)
        frozen_clock.return_value += timedelta(minutes=5)
        services.finish(
            visit.pk, user=clerk, persons_present=1,
            work_items=[WorkItemLine(office["extend"], "x")],
        )  # fmt: skip
    estimate = selectors.estimate_wait(last)
    # 3 starts in 15 minutes: one every 5 minutes; 2 ahead → (2 + 1) × 5 = 15
    assert (estimate.position, estimate.minutes, estimate.observed) == (2, 15, True)


def test_visitor_who_left_is_recorded(office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    services.record_left(visit.pk, actor=None)
    with pytest.raises(TransitionNotAllowed):
        services.record_left(visit.pk, actor=None)
    assert list(visit.transitions.values_list("to_status", flat=True)) == ["waiting", "left"]


def test_inactive_team_cannot_receive_a_transfer(office, frozen_clock):
    visit = walk_in(office["location"], office["extend"])
    clerk = clerk_at(office["family_counter"])
    services.call_next(user=clerk)
    services.start(visit.pk, user=clerk)
    closed = TeamFactory(slug="closed", is_active=False)
    with pytest.raises(FrontdeskError):
        services.transfer(visit.pk, user=clerk, team=closed)
    assert VisitTransition.objects.filter(visit=visit, action="transfer").count() == 0


def test_a_sign_in_holds_for_its_day_only(office, frozen_clock):
    counter = office["family_counter"]
    anna = clerk_at(counter)
    frozen_clock.return_value += timedelta(days=1)
    assert services.current_session(anna) is None
    assert selectors.open_counters(office["location"], office["family"]) == 0
    ben = clerk_at(counter)  # the counter is free again: yesterday's sign-in ended
    stale = anna.counter_sessions.get()
    assert stale.ended_at.astimezone(BERLIN).hour == 0
    assert services.current_session(ben).counter == counter


def test_visits_of_earlier_days_are_closed_except_those_being_served(office, frozen_clock):
    loc = office["location"]
    waiting, called, serving = (walk_in(loc, office["extend"]) for _ in range(3))
    anna = clerk_at(office["family_counter"])
    ben = clerk_at(office["family_counter_2"])
    services.call_visit(called.pk, user=anna)
    services.call_visit(serving.pk, user=ben)
    services.start(serving.pk, user=ben)
    assert services.close_past_days() == 0  # nothing is from an earlier day yet
    frozen_clock.return_value += timedelta(days=1)
    today = walk_in(loc, office["extend"])
    assert services.close_past_days() == 2
    statuses = dict(Visit.objects.values_list("pk", "status"))
    assert statuses == {
        waiting.pk: Status.LEFT,
        called.pk: Status.NO_SHOW,
        serving.pk: Status.SERVING,
        today.pk: Status.WAITING,
    }


def test_day_totals_count_persons_who_came_and_work_they_caused(office, frozen_clock):
    loc, extend = office["location"], office["extend"]
    father = walk_in(loc, extend)
    clerk = clerk_at(office["family_counter"])
    services.call_next(user=clerk)
    services.start(father.pk, user=clerk)
    lines = [WorkItemLine(extend, "Vater")] + [
        WorkItemLine(extend, f"Kind {n}", False) for n in (1, 2, 3)
    ]
    services.finish(father.pk, user=clerk, persons_present=1, work_items=lines, repeat_visit=True)
    pickup = office["pickup"]
    services.settle_at_reception(
        location=loc, service=pickup, persons_present=2, actor=UserFactory(),
        work_items=[WorkItemLine(pickup, "Mutter"), WorkItemLine(pickup, "Sohn")],
    )  # fmt: skip
    walk_in(loc, extend)  # still waiting: not counted
    totals = selectors.day_totals(loc)
    assert (totals.visits, totals.persons_present, totals.work_items) == (2, 3, 6)
    assert (totals.interim_certificates, totals.repeat_visits) == (0, 1)
