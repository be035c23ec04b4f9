"""The visit's transition table (core's ``TransitionTable``), edge by edge, through the
database: the one function that writes a status, and the use cases that call it."""

import itertools

import pytest
from django.db import transaction

from tests.frontdesk.factories import VisitFactory
from willkommen.core import states as core_states
from willkommen.frontdesk import states
from willkommen.frontdesk.models import Visit, VisitTransition
from willkommen.frontdesk.services.visits import transition
from willkommen.frontdesk.states import Action, Status, TransitionNotAllowed

pytestmark = pytest.mark.django_db

EVERY_PAIR = list(itertools.product(Status.values, Action.values))
ALLOWED = [pair for pair in EVERY_PAIR if pair in states.TRANSITIONS]
REFUSED = [pair for pair in EVERY_PAIR if pair not in states.TRANSITIONS]


def test_the_table_is_the_one_described_in_the_issue():
    assert isinstance(states.TABLE, core_states.TransitionTable)
    assert states.TransitionNotAllowed is core_states.TransitionNotAllowed
    edges = {(s, a, t) for (s, a), t in states.TABLE.edges.items()}
    assert edges == {
        ("waiting", "call", "called"),
        ("transferred", "call", "called"),
        ("on_hold", "call", "called"),
        ("called", "recall", "called"),
        ("called", "requeue", "waiting"),
        ("called", "no_show", "no_show"),
        ("called", "start", "serving"),
        ("serving", "hold", "on_hold"),
        ("on_hold", "resume", "serving"),
        ("serving", "transfer", "transferred"),
        ("serving", "finish", "done"),
        ("waiting", "leave", "left"),
        ("transferred", "leave", "left"),
        ("on_hold", "leave", "left"),
        ("waiting", "reprioritise", "waiting"),
        ("transferred", "reprioritise", "transferred"),
        ("waiting", "reassign", "waiting"),
        ("transferred", "reassign", "transferred"),
    }
    # Creation is not an edge of the table: issue and settle only start a visit.
    assert not any(action in states.TABLE.initial for (_s, action) in states.TABLE.edges)
    assert states.TABLE.initial == {"issue": "waiting", "settle": "done"}


def test_terminal_states_have_no_way_out():
    for status in states.TERMINAL:
        assert states.TABLE.allowed_actions(status) == []


@pytest.mark.parametrize(("status", "action"), ALLOWED)
def test_allowed_edge_moves_and_is_recorded(status, action):
    visit = VisitFactory(status=status)
    with transaction.atomic():
        transition(visit, action, actor=None)
    visit.refresh_from_db()
    assert visit.status == states.TRANSITIONS[(status, action)]
    row = VisitTransition.objects.get(visit=visit)
    assert (row.from_status, row.action, row.to_status) == (status, action, visit.status)
    assert row.at is not None


@pytest.mark.parametrize(("status", "action"), REFUSED)
def test_refused_edge_changes_nothing(status, action):
    visit = VisitFactory(status=status)
    with pytest.raises(TransitionNotAllowed), transaction.atomic():
        transition(visit, action, actor=None)
    assert Visit.objects.get(pk=visit.pk).status == status
    assert not VisitTransition.objects.filter(visit=visit).exists()


def test_unknown_action_or_state_is_refused():
    with pytest.raises(TransitionNotAllowed):
        states.TABLE.target("waiting", "teleport")
    with pytest.raises(TransitionNotAllowed):
        states.TABLE.target("nowhere", "call")


def test_transitions_are_append_only():
    visit = VisitFactory()
    with transaction.atomic():
        transition(visit, Action.CALL, actor=None)
    row = VisitTransition.objects.get(visit=visit)
    row.note = "changed"
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.delete()
    with pytest.raises(TypeError):
        VisitTransition.objects.filter(visit=visit).update(note="x")
    with pytest.raises(TypeError):
        VisitTransition.objects.filter(visit=visit).delete()
    assert VisitTransition.objects.get(visit=visit).note == ""
