"""The case type's transition table, every edge driven through the database.

For each pair of statuses, a case is walked to the first along the table's own
edges (``services.change_status``), then asked to move to the second: an edge of
the table is stored with its ``StatusChange``; anything else raises
``TransitionNotAllowed`` and changes nothing.
"""

from collections import deque

import pytest

from tests.cases.factories import STATUSES, make_case_type, open_case
from willkommen.cases import services, transitions
from willkommen.cases.models import Case, StatusChange
from willkommen.core.states import TransitionNotAllowed, TransitionTable

pytestmark = pytest.mark.django_db

CODES = [code for code, *_ in STATUSES]
# From each status, the statuses the table allows (the rules in transitions.py).
ALLOWED = {
    "eingegangen": {"unvollstaendig", "vollstaendig"},  # incomplete is skippable
    "unvollstaendig": {"vollstaendig"},
    "vollstaendig": {"unvollstaendig", "in-pruefung"},
    "in-pruefung": {"unvollstaendig", "beteiligung", "entschieden"},
    "beteiligung": {"unvollstaendig", "in-pruefung", "entschieden"},
    "entschieden": {"unvollstaendig", "in-pruefung", "abgeschlossen"},
    "abgeschlossen": set(),
}


def path_to(table: TransitionTable, target: str) -> list[str]:
    """The shortest walk along the table's edges from the start to ``target``."""
    start = table.start(transitions.OPEN)
    seen, queue = {start: [start]}, deque([start])
    while queue:
        current = queue.popleft()
        for action in table.allowed_actions(current):
            following = table.target(current, action)
            if following not in seen:
                seen[following] = [*seen[current], following]
                queue.append(following)
    return seen[target]


def move(case, code):
    return services.change_status(
        case,
        case.case_type.statuses.get(code=code),
        actor=None,
        expected_status_id=Case.objects.get(pk=case.pk).status_id,
    )


def test_the_table_is_built_from_the_case_types_ordered_statuses():
    case_type = make_case_type(items=0)
    table = transitions.table(list(case_type.statuses.all()))
    assert isinstance(table, TransitionTable)
    assert table.start(transitions.OPEN) == "eingegangen"
    assert {code: set(table.allowed_actions(code)) for code in CODES} == ALLOWED


@pytest.mark.parametrize("source", CODES)
@pytest.mark.parametrize("target", CODES)
def test_edge_through_the_database(source, target):
    case_type = make_case_type(items=0)  # no required documents: "complete" is reachable
    table = transitions.table(list(case_type.statuses.all()))
    case = open_case(case_type).case
    for code in path_to(table, source)[1:]:
        move(case, code)
    case.refresh_from_db()
    assert case.status.code == source
    history = case.history.count()
    if target in ALLOWED[source]:
        change = move(case, target)
        case.refresh_from_db()
        assert case.status.code == target
        assert change.status.code == target and change.sequence == history + 1
        assert case.history.count() == history + 1
    else:
        with pytest.raises(TransitionNotAllowed):
            move(case, target)
        case.refresh_from_db()
        assert case.status.code == source
        assert case.history.count() == history


def test_a_case_starts_in_the_tables_first_status_with_its_status_change():
    case_type = make_case_type(items=0)
    case = open_case(case_type).case
    first = StatusChange.objects.get(case=case)
    assert first.sequence == 1 and first.status.code == "eingegangen" == case.status.code
