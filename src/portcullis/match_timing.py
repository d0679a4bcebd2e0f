"""How long matching took in this process, per item, kept for the metrics endpoint to expose.

The road's matching step reports each decision's matching time here (`observe`); `/metrics`
reads a snapshot (`MATCH_TIMINGS.snapshot()`) as the histogram `portcullis_match_seconds`. The
figures are this process's own, like request durations: every process of a workspace keeps its
own and labels them with its process id.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Literal

MatchMode = Literal["on_demand", "batch", "spark"]
MATCH_MODES: tuple[MatchMode, ...] = ("on_demand", "batch", "spark")
# Seconds per item: an on-demand match takes milliseconds, a batch item far less.
MATCH_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


@dataclass(slots=True)
class ModeTimings:
    """Cumulative bucket counts, count and sum of one mode's per-item matching seconds."""

    buckets: list[int] = field(default_factory=lambda: [0] * len(MATCH_BUCKETS))
    count: int = 0
    total: float = 0.0


class MatchTimings:
    """Per-item matching times of this process, by mode, safe to use from many threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._modes = {mode: ModeTimings() for mode in MATCH_MODES}

    def observe(self, mode: MatchMode, items: int, seconds: float) -> None:
        """Record `items` items matched together in `seconds` (each counted at the mean)."""
        if items <= 0:
            return
        each = max(seconds, 0.0) / items
        with self._lock:
            timings = self._modes[mode]
            for index, bound in enumerate(MATCH_BUCKETS):
                if each <= bound:
                    timings.buckets[index] += items
            timings.count += items
            timings.total += each * items

    def snapshot(self) -> dict[MatchMode, ModeTimings]:
        """Return a copy of every mode's figures."""
        with self._lock:
            return {
                mode: ModeTimings(list(t.buckets), t.count, t.total)
                for mode, t in self._modes.items()
            }


MATCH_TIMINGS = MatchTimings()
