"""Timing as a ratio, for the tests that hold a step to linear time: the same work on a small
and a large input (or on a benign and a hostile one) measured in one run, best of a few tries,
so a loaded machine slows both sides alike."""

from __future__ import annotations

import time
from collections.abc import Callable

# Quadratic work at four times the size takes sixteen times as long; linear, four. Ten
# leaves room for noise and catches quadratic steps even on small inputs.
GROWTH_LIMIT = 10.0


def best_seconds(work: Callable[[], object], tries: int = 3) -> float:
    best = float("inf")
    for _ in range(tries):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return max(best, 1e-4)  # below the timer's useful resolution, treat as equal


def growth(run: Callable[[int], object], size: int) -> float:
    """How much longer ``run`` takes on four times ``size``. Measured again when over the
    limit, the lower figure kept: a quadratic step is slow every time, while a burst of load
    from other processes rarely hits the same measurement twice."""
    ratio = best_seconds(lambda: run(4 * size)) / best_seconds(lambda: run(size))
    if ratio >= GROWTH_LIMIT:
        ratio = min(ratio, best_seconds(lambda: run(4 * size), 5) / best_seconds(lambda: run(size), 5))
    return ratio
