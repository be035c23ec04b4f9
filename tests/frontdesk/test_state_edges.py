"""Every edge of the visit's table, made by the use case that makes it, through the
database; and a sample of edges the table does not list, refused by those use cases
without changing anything."""

import pytest

from tests.accounts.factories import UserFactory
from tests.frontdesk.factories import clerk_at, walk_in
from willkommen.accounts.roles import Role
from willkommen.frontdesk import services
from willkommen.frontdesk.models import Visit, VisitTransition, WorkItem
from willkommen.frontdesk.services import WorkItemLine
from willkommen.frontdesk.states import TABLE, Action, Status, TransitionNotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(office, frozen_clock, settings):
    settings.FRONTDESK_NO_SHOW_AFTER_CALLS = 1
    return {
        **office,
        "clerk": clerk_at(office["family_counter"]),
        "lead": UserFactory(roles=[Role.TEAM_LEAD]),
    }


def _arrive_in(desk, status: str) -> Visit:
    """A visit brought to ``status`` by the use cases themselves."""
    clerk = desk["clerk"]
    visit = walk_in(desk["location"], desk["extend"])
    if status == Status.WAITING:
        return visit
    services.call_visit(visit.pk, user=clerk)
    if status == Status.CALLED:
        return Visit.objects.get(pk=visit.pk)
    services.start(visit.pk, user=clerk)
    if status == Status.ON_HOLD:
        services.hold(visit.pk, user=clerk)
    elif status == Status.TRANSFERRED:
        services.transfer(visit.pk, user=clerk, team=desk["work"])
    return Visit.objects.get(pk=visit.pk)


def _make(desk, visit: Visit, action: str) -> None:
    """The use case behind ``action``."""
    clerk, lead, pk = desk["clerk"], desk["lead"], visit.pk
    calls = {
        Action.CALL: lambda: services.call_visit(pk, user=clerk),
        Action.RECALL: lambda: services.recall(pk, user=clerk),
        Action.REQUEUE: lambda: services.requeue(pk, user=clerk),
        Action.NO_SHOW: lambda: services.record_no_show(pk, user=clerk),
        Action.START: lambda: services.start(pk, user=clerk),
        Action.HOLD: lambda: services.hold(pk, user=clerk, note="Kopie holen"),
        Action.RESUME: lambda: services.resume(pk, user=clerk),
        Action.TRANSFER: lambda: services.transfer(pk, user=clerk, team=desk["work"]),
        Action.FINISH: lambda: services.finish(
            pk,
            user=clerk,
            persons_present=1,
            work_items=[WorkItemLine(desk["extend"], "Antragsteller")],
        ),
        Action.LEAVE: lambda: services.record_left(pk, actor=lead),
        Action.REPRIORITISE: lambda: services.reprioritise(
            pk, actor=lead, priority="emergency", reason="krank"
        ),
        Action.REASSIGN: lambda: services.reassign(pk, actor=lead, team=desk["blue_card"].team),
    }
    calls[action]()


@pytest.mark.parametrize(("status", "action"), list(TABLE.edges))
def test_every_edge_through_its_use_case(desk, status, action):
    visit = _arrive_in(desk, status)
    assert visit.status == status
    before = visit.transitions.count()
    _make(desk, visit, action)
    visit.refresh_from_db()
    assert visit.status == TABLE.edges[(status, action)]
    last = visit.transitions.order_by("pk").last()
    assert visit.transitions.count() == before + 1
    assert (last.from_status, last.action, last.to_status) == (status, action, visit.status)
    assert last.at is not None and last.team_id == visit.team_id


REFUSED = [
    (Status.SERVING, Action.LEAVE),
    (Status.SERVING, Action.RECALL),
    (Status.SERVING, Action.REQUEUE),
    (Status.CALLED, Action.HOLD),
    (Status.CALLED, Action.FINISH),
    (Status.CALLED, Action.TRANSFER),
    (Status.ON_HOLD, Action.START),
    (Status.ON_HOLD, Action.RECALL),
]


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_edges_not_in_the_table_are_refused_and_change_nothing(desk, status, action):
    assert not TABLE.allows(status, action)
    visit = _arrive_in(desk, status)
    row_before = Visit.objects.filter(pk=visit.pk).values().get()
    events_before = VisitTransition.objects.count()
    with pytest.raises(TransitionNotAllowed):
        _make(desk, visit, action)
    assert Visit.objects.filter(pk=visit.pk).values().get() == row_before
    assert VisitTransition.objects.count() == events_before
    assert not WorkItem.objects.exists()


@pytest.mark.parametrize("status", [Status.DONE, Status.LEFT, Status.NO_SHOW])
def test_a_closed_visit_cannot_be_left_or_steered(desk, status):
    visit = _arrive_in(desk, Status.WAITING if status == Status.LEFT else Status.CALLED)
    action = {Status.DONE: None, Status.LEFT: Action.LEAVE, Status.NO_SHOW: Action.NO_SHOW}
    if status == Status.DONE:
        _make(desk, visit, Action.START)
        _make(desk, visit, Action.FINISH)
    else:
        _make(desk, visit, action[status])
    events_before = VisitTransition.objects.count()
    with pytest.raises(TransitionNotAllowed):
        services.record_left(visit.pk, actor=desk["lead"])
    assert Visit.objects.get(pk=visit.pk).status == status
    assert VisitTransition.objects.count() == events_before
