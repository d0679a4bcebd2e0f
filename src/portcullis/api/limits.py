"""Per-client rate limits: a token bucket for each client, kept in memory by one API process."""

from __future__ import annotations

import threading
import time


class RateLimiter:
    """Refill `rate` tokens a second up to `burst`; each request spends one."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str, *, now: float | None = None) -> float:
        """Spend one token for `client`; return 0 if allowed, else the seconds until one is due."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            tokens, since = self._buckets.get(client, (float(self.burst), moment))
            tokens = min(float(self.burst), tokens + (moment - since) * self.rate)
            if tokens < 1.0:
                self._buckets[client] = (tokens, moment)
                return (1.0 - tokens) / self.rate
            self._buckets[client] = (tokens - 1.0, moment)
            return 0.0
