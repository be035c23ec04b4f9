import dataclasses

import numpy as np
import pytest

from willkommen.controlling.queueing import QueueError, erlang_c
from willkommen.controlling.simulation import Scenario, simulate, simulate_day

OFFICE = Scenario(
    name="office",
    opening_hour=8,
    counters_by_hour=(6, 6, 6, 6, 6, 6),
    walk_ins_by_hour=(10, 9, 8, 7, 6, 4),
    appointments_by_hour=(12, 12, 12, 12, 12, 10),
    mean_service_minutes=20,
    days=5,
)


def test_same_seed_same_result_other_seed_other_result():
    first = simulate(OFFICE, replications=10, seed=3)
    assert simulate(OFFICE, replications=10, seed=3) == first
    assert simulate(OFFICE, replications=10, seed=4).mean_wait != first.mean_wait


def test_matches_erlang_c_for_the_textbook_queue():
    """Random arrivals, exponential serving, constant counters: the M/M/N queue."""
    hours = 40  # a long "day" so that the start-up from an empty office does not matter
    scenario = Scenario(
        name="M/M/4",
        opening_hour=0,
        counters_by_hour=(4,) * hours,
        walk_ins_by_hour=(12.0,) * hours,  # 12/h x 15 min = 3 Erlang on 4 counters
        appointments_by_hour=(0,) * hours,
        mean_service_minutes=15,
        emergency_share=0,
        service_distribution="exponential",
        target_wait_minutes=0.0001,
    )
    result = simulate(scenario, replications=20, seed=11)
    waited = 1 - result.within_target
    assert waited == pytest.approx(erlang_c(4, 3.0), abs=0.03)  # 0.509
    expected_mean = erlang_c(4, 3.0) * 15 / (4 - 3)
    assert result.mean_wait == pytest.approx(expected_mean, rel=0.1)


def test_priorities_emergencies_then_appointments_then_walk_ins():
    crowded = dataclasses.replace(OFFICE, counters_by_hour=(4,) * 6, emergency_share=0.2)
    figures = simulate(crowded, replications=5, seed=1).by_kind
    assert figures["emergency"].mean_wait < figures["appointment"].mean_wait
    assert figures["appointment"].mean_wait < figures["walk_in"].mean_wait


def test_everyone_who_came_is_served_and_counted():
    day = simulate_day(dataclasses.replace(OFFICE, no_show_rate=0), np.random.default_rng(5))
    assert sum(len(w) for w in day.waits.values()) > 0
    assert len(day.waits[1]) == sum(OFFICE.appointments_by_hour)
    assert all(w >= 0 for waits in day.waits.values() for w in waits)


def test_more_counters_never_means_longer_waits_on_average():
    fewer = simulate(OFFICE, replications=10, seed=2)
    more = simulate(dataclasses.replace(OFFICE, counters_by_hour=(8,) * 6), replications=10, seed=2)
    assert more.mean_wait < fewer.mean_wait
    assert more.within_target > fewer.within_target


@pytest.mark.parametrize(
    "change",
    [
        {"counters_by_hour": (0, 0, 0, 0, 0, 0)},
        {"counters_by_hour": (6, 6, 6, 6, 6, 0)},
        {"walk_ins_by_hour": (1, 2)},
        {"mean_service_minutes": 0},
        {"no_show_rate": 1.5},
        {"days": 0},
        {"counters_by_hour": ()},
    ],
)
def test_bad_scenarios_are_refused_with_a_reason(change):
    with pytest.raises(QueueError):
        simulate(dataclasses.replace(OFFICE, **change), replications=1)


def test_progress_is_reported():
    seen = []
    simulate(
        OFFICE, replications=4, seed=1, progress=lambda done, total: seen.append((done, total))
    )
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
