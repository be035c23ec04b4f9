"""The one transition-table type every state machine uses."""

import pytest

from willkommen.core.states import TransitionNotAllowed, TransitionTable

TABLE = TransitionTable(
    name="door",
    edges={("closed", "open"): "open", ("open", "close"): "closed", ("closed", "lock"): "locked"},
    initial={"build": "closed"},
)


def test_every_listed_edge_leads_where_it_says():
    for (source, action), target in TABLE.edges.items():
        assert TABLE.target(source, action) == target
        assert TABLE.allows(source, action)


def test_an_edge_not_listed_cannot_happen():
    with pytest.raises(TransitionNotAllowed) as refused:
        TABLE.target("locked", "open")
    assert (refused.value.status, refused.value.action) == ("locked", "open")
    assert refused.value.http_status == 409
    assert not TABLE.allows("open", "lock")


def test_start_only_through_the_initial_actions():
    assert TABLE.start("build") == "closed"
    with pytest.raises(TransitionNotAllowed):
        TABLE.start("open")


def test_from_sources_expands_each_source_and_lists_actions_in_order():
    table = TransitionTable.from_sources(
        "appointment-like",
        {"confirm": ({"held"}, "confirmed"), "cancel": (["held", "confirmed"], "cancelled")},
        initial={"create": "held"},
    )
    assert table.target("confirmed", "cancel") == "cancelled"
    assert table.allowed_actions("held") == ["confirm", "cancel"]
    assert table.statuses() == {"held", "confirmed", "cancelled"}


def test_the_table_message_is_carried_by_the_refusal():
    table = TransitionTable(name="t", edges={}, message="not now")
    with pytest.raises(TransitionNotAllowed) as refused:
        table.target("a", "b")
    assert refused.value.message == "not now"
