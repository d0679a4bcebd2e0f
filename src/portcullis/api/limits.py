"""Per-client rate limits: a token bucket for each client, kept in the state store.

Every API process of a workspace (`serve --workers N`, several hosts on one PostgreSQL) reads and
spends the same buckets, so a client meets one limit however its requests are spread.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from portcullis.api.tables import rate_buckets


class RateLimiter:
    """Refill `rate` tokens a second up to `burst`; each request spends one."""

    def __init__(self, engine: Engine, rate: float, burst: int) -> None:
        self.engine = engine
        self.rate = rate
        self.burst = burst

    def take(self, client: str, *, now: float | None = None) -> float:
        """Spend one token for `client`; return 0 if allowed, else the seconds until one is due."""
        moment = time.time() if now is None else now
        for _ in range(2):
            with self.engine.begin() as con:
                _no_flush_wait(con)
                # A write before the read takes the row's lock (SQLite's write lock), so two
                # processes spending one client's tokens take turns.
                claimed = con.execute(
                    rate_buckets.update()
                    .where(rate_buckets.c.client == client)
                    .values(tokens=rate_buckets.c.tokens)
                ).rowcount
                if claimed == 1:
                    tokens, since = con.execute(
                        sa.select(rate_buckets.c.tokens, rate_buckets.c.at).where(
                            rate_buckets.c.client == client
                        )
                    ).one()
                    tokens = min(float(self.burst), tokens + max(0.0, moment - since) * self.rate)
                    wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate
                    spent = tokens - 1.0 if wait == 0.0 else tokens
                    con.execute(
                        rate_buckets.update()
                        .where(rate_buckets.c.client == client)
                        .values(tokens=spent, at=max(moment, since))
                    )
                    return wait
            try:
                with self.engine.begin() as con:
                    _no_flush_wait(con)
                    con.execute(
                        rate_buckets.insert().values(
                            client=client, tokens=float(self.burst) - 1.0, at=moment
                        )
                    )
                return 0.0
            except IntegrityError:
                continue  # another process made the bucket first: spend from it
        raise RuntimeError(f"the rate bucket of {client!r} could be neither read nor made")


def _no_flush_wait(con: sa.Connection) -> None:
    # A bucket lost in a database crash only forgives a client a few requests: on PostgreSQL its
    # commit does not wait for the write-ahead log to reach the disk (the rest of the store's do).
    if con.dialect.name == "postgresql":
        con.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
