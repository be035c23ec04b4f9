import math

import pytest

from willkommen.controlling.queueing import (
    QueueError,
    UnstableQueue,
    counters_needed,
    erlang_b,
    erlang_c,
    queue_figures,
)


def erlang_c_by_definition(servers, load):
    """The textbook sum formula, independent of the recursion used in the code."""
    top = load**servers / math.factorial(servers) * servers / (servers - load)
    return top / (sum(load**k / math.factorial(k) for k in range(servers)) + top)


def test_published_value_10_erlang_14_counters():
    # Erlang C tables: offered load 10 Erlang, 14 servers -> P(wait) = 0.1741.
    assert erlang_c(14, 10) == pytest.approx(0.1741, abs=5e-5)
    # Service level with 3-minute serving time, target 20 s: 1 - 0.1741 * e^(-4 * 20/180) = 0.8884.
    figures = queue_figures(
        14, arrivals_per_hour=200, mean_service_minutes=3, target_wait_minutes=1 / 3
    )
    assert figures.load == pytest.approx(10)
    assert figures.service_level == pytest.approx(0.8884, abs=5e-5)
    assert figures.mean_wait_minutes * 60 == pytest.approx(7.84, abs=0.01)  # seconds
    assert figures.utilisation == pytest.approx(10 / 14)


@pytest.mark.parametrize(
    ("servers", "load"), [(1, 0.5), (2, 1.5), (5, 4.2), (30, 25.0), (80, 70.0)]
)
def test_recursion_matches_the_definition(servers, load):
    assert erlang_c(servers, load) == pytest.approx(erlang_c_by_definition(servers, load), rel=1e-9)


def test_erlang_b_known_value():
    assert erlang_b(14, 10) == pytest.approx(0.0568, abs=5e-4)


@pytest.mark.parametrize(("servers", "load"), [(10, 10), (5, 7.5)])
def test_load_at_or_above_counters_is_said_in_words(servers, load):
    with pytest.raises(UnstableQueue, match="grows all day"):
        erlang_c(servers, load)


def test_zero_counters_and_nonsense_input():
    with pytest.raises(QueueError):
        erlang_c(0, 1)
    with pytest.raises(QueueError):
        queue_figures(3, -1, 10, 5)
    with pytest.raises(QueueError):
        counters_needed(30, 10, 5, 1.5)


def test_counters_needed_is_the_smallest_sufficient_number():
    figures = counters_needed(200, 3, 1 / 3, 0.8)
    assert figures.servers == 14
    assert figures.service_level >= 0.8
    assert queue_figures(13, 200, 3, 1 / 3).service_level < 0.8


def test_no_arrivals_needs_one_counter_and_nobody_waits():
    figures = counters_needed(0, 10, 5, 0.9)
    assert figures.servers == 1
    assert figures.probability_of_waiting == 0
