"""Time 100 replications of a simulated office month (issue 6 target: < 10 s on 2 cores).

Run from the repository root: .venv/bin/python bench/simulation.py
The KPI month-report timings of issue 6 (bench/kpis.py) come with the KPIs.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from willkommen.controlling.simulation import Scenario, simulate

MONTH = Scenario(
    name="60 % appointments, 6 counters, 21 working days",
    opening_hour=8,
    counters_by_hour=(6, 6, 6, 6, 6, 6),
    walk_ins_by_hour=(10, 9, 8, 7, 6, 4),
    appointments_by_hour=(12, 12, 12, 12, 12, 10),
    mean_service_minutes=20,
    days=21,
)

timings = []
for _ in range(3):
    started = time.perf_counter()
    result = simulate(MONTH, replications=100, seed=1)
    timings.append(time.perf_counter() - started)
best = min(timings)
people = result.served_per_day * MONTH.days * result.replications
print(f"scenario: {MONTH.name}")
runs = ", ".join(f"{t:.2f}s" for t in timings)
print(f"simulated people: {people:,.0f} in 100 replications; runs: {runs}")
print(f"served within 20 min: {result.within_target:.1%}, mean wait {result.mean_wait:.1f} min")
print(f"RESULT simulation_100_s={best:.2f} people_per_s={people / best:.0f}")
