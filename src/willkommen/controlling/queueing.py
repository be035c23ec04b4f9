"""Erlang C: the quick answer to "how many counters for this service level?".

The classic M/M/N queue: arrivals at random (Poisson), exponential serving
times, N counters, one queue, nobody leaves. Offices are not quite like that
(appointments are not random, people do leave), which is what the simulation
is for; Erlang C is the first, fast estimate and the staffing textbook's answer.

Load (in Erlang) = arrivals per minute × mean serving time in minutes.
"""

import math
from dataclasses import dataclass


class QueueError(ValueError):
    """Input for which a queue has no meaningful answer (said in words, not a division by zero)."""


class UnstableQueue(QueueError):
    """The offered load is at least the number of counters: the queue grows without limit."""


def erlang_b(servers: int, load: float) -> float:
    """Blocking probability, by the stable recursion B(k) = A·B(k−1) / (k + A·B(k−1))."""
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def _check(servers: int, load: float) -> None:
    if servers < 1:
        raise QueueError("At least one counter must be open.")
    if load < 0:
        raise QueueError("The offered load cannot be negative.")
    if load >= servers:
        raise UnstableQueue(
            f"The offered load ({load:.2f} Erlang) is at least the number of counters "
            f"({servers}): the queue grows all day. Open more counters or shorten serving times."
        )


def erlang_c(servers: int, load: float) -> float:
    """Probability that an arriving person has to wait at all."""
    _check(servers, load)
    if load == 0:
        return 0.0
    blocking = erlang_b(servers, load)
    return servers * blocking / (servers - load * (1 - blocking))


@dataclass(frozen=True)
class QueueFigures:
    servers: int
    load: float
    probability_of_waiting: float
    service_level: float  # share waiting no longer than the target
    mean_wait_minutes: float
    utilisation: float


def queue_figures(
    servers: int, arrivals_per_hour: float, mean_service_minutes: float, target_wait_minutes: float
) -> QueueFigures:
    if arrivals_per_hour < 0 or mean_service_minutes <= 0 or target_wait_minutes < 0:
        raise QueueError("Arrivals, serving time and target wait must be positive numbers.")
    load = arrivals_per_hour / 60 * mean_service_minutes
    waiting = erlang_c(servers, load)
    level = 1 - waiting * math.exp(-(servers - load) * target_wait_minutes / mean_service_minutes)
    return QueueFigures(
        servers=servers,
        load=load,
        probability_of_waiting=waiting,
        service_level=level,
        mean_wait_minutes=waiting * mean_service_minutes / (servers - load),
        utilisation=load / servers,
    )


def counters_needed(
    arrivals_per_hour: float,
    mean_service_minutes: float,
    target_wait_minutes: float,
    target_level: float,
    most: int = 500,
) -> QueueFigures:
    """The fewest counters that reach ``target_level`` (e.g. 0.8 served within the target)."""
    if not 0 < target_level < 1:
        raise QueueError("The target service level must be between 0 and 100 percent.")
    if arrivals_per_hour < 0 or mean_service_minutes <= 0:
        raise QueueError("Arrivals and serving time must be positive numbers.")
    load = arrivals_per_hour / 60 * mean_service_minutes
    servers = max(1, math.floor(load) + 1)
    while servers <= most:
        figures = queue_figures(
            servers, arrivals_per_hour, mean_service_minutes, target_wait_minutes
        )
        if figures.service_level >= target_level:
            return figures
        servers += 1
    raise QueueError(f"Even {most} counters do not reach the target; check the figures.")
