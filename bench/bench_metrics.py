"""Cost of the metrics: the per-request observation and one /metrics scrape over a filled store.

Usage: .venv/bin/python bench/bench_metrics.py [--decisions N] [--observations N]
Makes a throwaway SQLite state store holding N decision rows (outcomes spread over the five) and
as many jobs, times RequestMetrics.observe (the cost each request adds) and a scrape of the
registry (the state store's figures read at that moment), and prints the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from prometheus_client import generate_latest

from portcullis.api.metrics import build_registry
from portcullis.reports.rows import OUTCOMES
from portcullis.store.database import create_schema, open_engine
from portcullis.store.tables import decisions


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--decisions", type=int, default=1_000_000)
    parser.add_argument("--observations", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = open_engine(f"sqlite:///{Path(folder) / 'state.sqlite'}")
        create_schema(engine)
        now = dt.datetime.now(dt.UTC)
        with engine.begin() as con:
            con.exec_driver_sql("PRAGMA foreign_keys=OFF")
            for start in range(0, args.decisions, 50_000):
                con.execute(
                    decisions.insert(),
                    [
                        {
                            "item_pk": i + 1,
                            "outcome": OUTCOMES[i % len(OUTCOMES)],
                            "reason_codes": "",
                            "decided_at": now,
                            "decided_by": "bench",
                        }
                        for i in range(start, min(start + 50_000, args.decisions))
                    ],
                )
        registry, requests = build_registry(engine)
        started = time.perf_counter()
        for n in range(args.observations):
            requests.observe("POST", "/v1/items", 201, 0.001 * (n % 50))
        per_request = (time.perf_counter() - started) / args.observations
        scrapes = []
        for _ in range(5):
            started = time.perf_counter()
            generate_latest(registry)
            scrapes.append(time.perf_counter() - started)
        engine.dispose()
    print(f"observe per request: {per_request * 1e6:.1f} us ({args.observations} observations)")
    print(
        f"scrape over {args.decisions} decisions: median {statistics.median(scrapes) * 1e3:.1f} ms,"
        f" max {max(scrapes) * 1e3:.1f} ms (5 scrapes)"
    )


if __name__ == "__main__":
    main()
