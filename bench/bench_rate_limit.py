"""Cost of the shared rate limit: one RateLimiter.take against the state store.

Usage: .venv/bin/python bench/bench_rate_limit.py [--takes N] [--postgres URL]
Times N takes for one client, then N for N different clients (a bucket made each time), on a
throwaway SQLite store and, when --postgres is given, in a throwaway schema there.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import tempfile
import time
from pathlib import Path

import portcullis.api.tables  # noqa: F401  (registers the rate-limit table)
from portcullis.api.limits import RateLimiter
from portcullis.store.database import (
    create_schema,
    dedicated_schema_url,
    drop_dedicated_schema,
    open_engine,
)


def _times(limiter: RateLimiter, clients: list[str]) -> list[float]:
    took = []
    for client in clients:
        started = time.perf_counter()
        limiter.take(client)
        took.append(time.perf_counter() - started)
    return took


def _report(name: str, url: str, takes: int) -> None:
    engine = open_engine(url)
    create_schema(engine)
    limiter = RateLimiter(engine, rate=1e9, burst=10**9)
    same = _times(limiter, ["one-client"] * takes)
    fresh = _times(limiter, [f"client-{n}" for n in range(takes)])
    engine.dispose()
    for label, took in (("same client", same), ("new client each", fresh)):
        took.sort()
        print(
            f"{name} {label}: median {statistics.median(took) * 1e3:.2f} ms,"
            f" p99 {took[int(len(took) * 0.99)] * 1e3:.2f} ms ({takes} takes)"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--takes", type=int, default=2_000)
    parser.add_argument("--postgres")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _report("sqlite", f"sqlite:///{Path(folder) / 'state.sqlite'}", args.takes)
    if args.postgres:
        url = dedicated_schema_url(args.postgres, f"bench_{secrets.token_hex(4)}")
        try:
            _report("postgresql", url, args.takes)
        finally:
            drop_dedicated_schema(url)


if __name__ == "__main__":
    main()
