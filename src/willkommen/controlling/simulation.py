"""Discrete-event simulation of an office day (or month), for what-if questions.

Why our own small engine instead of a general library: the model is one queue
with three priorities and a counter plan that changes by the hour, and a month
of 100 replications has to run in seconds on a small server. A heap of events
and three FIFO lines does exactly that, and is easy to check by hand.

The model:
- walk-ins arrive at random (Poisson) with a rate per opening hour;
- appointments are booked per hour, arrive around their time (normal
  punctuality), some do not come (no-show rate);
- a share of walk-ins are emergencies; emergencies go first, then appointments,
  then walk-ins, first come first served within each;
- serving times are log-normal with the given mean and coefficient of variation;
- counters open per hour follow the plan; after closing, whoever is waiting is
  still served with the last hour's counters.
Results are reproducible: the same seed gives the same numbers.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from willkommen.controlling.queueing import QueueError

EMERGENCY, APPOINTMENT, WALK_IN = 0, 1, 2
KINDS = {EMERGENCY: "emergency", APPOINTMENT: "appointment", WALK_IN: "walk_in"}


@dataclass(frozen=True)
class Scenario:
    name: str
    opening_hour: int  # first hour the doors are open, e.g. 8
    counters_by_hour: tuple[int, ...]  # one entry per opening hour
    walk_ins_by_hour: tuple[float, ...]  # expected walk-ins arriving in each hour
    appointments_by_hour: tuple[int, ...]  # appointments booked per hour
    mean_service_minutes: float = 15.0
    service_cv: float = 0.6  # standard deviation / mean of serving times (log-normal)
    # "exponential" reproduces the textbook M/M/N queue (used to check against Erlang C).
    service_distribution: str = "lognormal"
    emergency_share: float = 0.05  # of walk-ins
    no_show_rate: float = 0.1  # of appointments
    punctuality_sd_minutes: float = 5.0
    target_wait_minutes: float = 20.0
    days: int = 1

    def validate(self) -> None:
        hours = len(self.counters_by_hour)
        if hours == 0:
            raise QueueError("The office must be open at least one hour.")
        if len(self.walk_ins_by_hour) != hours or len(self.appointments_by_hour) != hours:
            raise QueueError("Counters, walk-ins and appointments need one value per opening hour.")
        if any(c < 0 for c in self.counters_by_hour) or not any(self.counters_by_hour):
            raise QueueError("At least one counter must be open in some hour.")
        if self.counters_by_hour[-1] < 1:
            raise QueueError(
                "A counter must be open in the last hour to serve who is still waiting."
            )
        if any(v < 0 for v in self.walk_ins_by_hour) or any(
            v < 0 for v in self.appointments_by_hour
        ):
            raise QueueError("Arrivals cannot be negative.")
        if self.service_distribution not in {"lognormal", "exponential"}:
            raise QueueError("Serving times are log-normal or exponential.")
        if self.mean_service_minutes <= 0 or self.service_cv < 0:
            raise QueueError("Serving time must be positive.")
        if not (0 <= self.emergency_share <= 1 and 0 <= self.no_show_rate <= 1):
            raise QueueError("Shares must be between 0 and 100 percent.")
        if not 1 <= self.days <= 400:
            raise QueueError("Simulate between 1 and 400 days.")


@dataclass
class DayResult:
    waits: dict[int, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    busy_minutes: float = 0.0
    open_counter_minutes: float = 0.0
    last_departure: float = 0.0


def _service_times(
    rng: np.random.Generator, mean: float, cv: float, size: int, distribution: str = "lognormal"
) -> np.ndarray:
    if distribution == "exponential":
        return rng.exponential(mean, size)
    if cv == 0:
        return np.full(size, mean)
    sigma = math.sqrt(math.log(1 + cv * cv))
    return rng.lognormal(math.log(mean) - sigma * sigma / 2, sigma, size)


def simulate_day(scenario: Scenario, rng: np.random.Generator) -> DayResult:
    """One day; times are minutes after opening."""
    hours = len(scenario.counters_by_hour)
    arrivals: list[tuple[float, int]] = []
    for hour, expected in enumerate(scenario.walk_ins_by_hour):
        count = rng.poisson(expected)
        times = hour * 60 + rng.random(count) * 60
        emergencies = rng.random(count) < scenario.emergency_share
        arrivals += [
            (float(t), EMERGENCY if e else WALK_IN) for t, e in zip(times, emergencies, strict=True)
        ]
    for hour, booked in enumerate(scenario.appointments_by_hour):
        if booked == 0:
            continue
        slots = hour * 60 + (np.arange(booked) + 0.5) * 60 / booked
        come = rng.random(booked) >= scenario.no_show_rate
        offsets = rng.normal(0, scenario.punctuality_sd_minutes, booked)
        arrivals += [
            (float(max(0.0, s + o)), APPOINTMENT)
            for s, o, c in zip(slots, offsets, come, strict=True)
            if c
        ]
    arrivals.sort()
    services = _service_times(
        rng,
        scenario.mean_service_minutes,
        scenario.service_cv,
        len(arrivals),
        scenario.service_distribution,
    ).tolist()

    closing = hours * 60

    def capacity(t: float) -> int:
        return scenario.counters_by_hour[min(int(t // 60), hours - 1)]

    # Events: (time, order, kind, payload). Arrivals first at equal times, then
    # departures, then the hourly counter changes.
    events = [(t, 0, "arrive", (kind, i)) for i, (t, kind) in enumerate(arrivals)]
    events += [(h * 60.0, 2, "plan", None) for h in range(1, hours)]
    heapq.heapify(events)
    lines = {k: deque() for k in KINDS}
    busy = 0
    result = DayResult()
    result.open_counter_minutes = 60.0 * sum(scenario.counters_by_hour)

    while events:
        now, _, what, payload = heapq.heappop(events)
        if what == "arrive":
            kind, index = payload
            lines[kind].append((now, index))
        elif what == "leave":
            busy -= 1
            result.last_departure = now
        limit = capacity(now)
        while busy < limit:
            for kind in (EMERGENCY, APPOINTMENT, WALK_IN):
                if lines[kind]:
                    arrived, index = lines[kind].popleft()
                    break
            else:
                break
            result.waits[kind].append(now - arrived)
            duration = services[index]
            result.busy_minutes += duration
            busy += 1
            heapq.heappush(events, (now + duration, 1, "leave", None))
    result.open_counter_minutes += (
        max(0.0, result.last_departure - closing) * scenario.counters_by_hour[-1]
    )
    return result


@dataclass(frozen=True)
class KindFigures:
    served: float  # per day, mean over replications
    mean_wait: float
    p90_wait: float
    within_target: float  # share


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    replications: int
    seed: int
    served_per_day: float
    mean_wait: float
    p50_wait: float
    p90_wait: float
    within_target: float
    within_target_low: float  # 95 % interval over replications
    within_target_high: float
    utilisation: float
    overtime_minutes: float  # per day, after closing
    by_kind: dict[str, KindFigures]


def simulate(
    scenario: Scenario, replications: int = 100, seed: int = 1, progress=None
) -> ScenarioResult:
    """Run ``replications`` independent copies of ``scenario.days`` days."""
    scenario.validate()
    if not 1 <= replications <= 1000:
        raise QueueError("Between 1 and 1,000 replications.")
    rng = np.random.default_rng(seed)
    all_waits: list[float] = []
    kind_waits: dict[int, list[float]] = {k: [] for k in KINDS}
    levels, busy, available, overtime = [], 0.0, 0.0, 0.0
    target = scenario.target_wait_minutes
    for replication in range(replications):
        served = within = 0
        for _ in range(scenario.days):
            day = simulate_day(scenario, rng)
            for kind, waits in day.waits.items():
                kind_waits[kind] += waits
                all_waits += waits
                served += len(waits)
                within += sum(1 for w in waits if w <= target)
            busy += day.busy_minutes
            available += day.open_counter_minutes
            overtime += max(0.0, day.last_departure - 60 * len(scenario.counters_by_hour))
        levels.append(within / served if served else 1.0)
        if progress is not None:
            progress(replication + 1, replications)
    waits = np.asarray(all_waits) if all_waits else np.zeros(1)
    level_array = np.asarray(levels)
    half_width = (
        1.96 * level_array.std(ddof=1) / math.sqrt(replications) if replications > 1 else 0.0
    )
    total_days = replications * scenario.days
    by_kind = {}
    for kind, values in kind_waits.items():
        array = np.asarray(values) if values else np.zeros(0)
        by_kind[KINDS[kind]] = KindFigures(
            served=len(values) / total_days,
            mean_wait=float(array.mean()) if len(array) else 0.0,
            p90_wait=float(np.percentile(array, 90)) if len(array) else 0.0,
            within_target=float((array <= target).mean()) if len(array) else 1.0,
        )
    return ScenarioResult(
        scenario=scenario,
        replications=replications,
        seed=seed,
        served_per_day=len(all_waits) / total_days,
        mean_wait=float(waits.mean()),
        p50_wait=float(np.percentile(waits, 50)),
        p90_wait=float(np.percentile(waits, 90)),
        within_target=float(level_array.mean()),
        within_target_low=float(max(0.0, level_array.mean() - half_width)),
        within_target_high=float(min(1.0, level_array.mean() + half_width)),
        utilisation=busy / available if available else 0.0,
        overtime_minutes=overtime / total_days,
        by_kind=by_kind,
    )
