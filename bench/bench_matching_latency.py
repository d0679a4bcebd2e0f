"""On-demand latency: match_one against a persistent index, measured in-process.

Usage: .venv/bin/python bench/bench_matching_latency.py [--taxpayers N] [--queries N]
Builds (or reuses, with --reuse PATH) a synthetic master with its index and times match_one
on request items drawn from the same population; writes bench/results/matching.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import duckdb
from matching.data import load_population, matchable_items
from matching.report import machine, peak_memory_mb, write_section

from portcullis.matching import Matcher, build_index, default_params
from portcullis.synth import generate_population
from portcullis.synth.request import generate_request


def main() -> None:
    """Run the latency benchmark and write its section of the results file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--taxpayers", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=6103)
    parser.add_argument("--db", type=Path, default=Path("/tmp/portcullis-latency.duckdb"))
    parser.add_argument("--reuse", action="store_true", help="reuse an indexed --db file")
    args = parser.parse_args()
    t0 = time.perf_counter()
    population = generate_population(args.taxpayers, seed=args.seed)
    generate_s = time.perf_counter() - t0
    build_s = 0.0
    if args.reuse and args.db.exists():
        con = duckdb.connect(str(args.db))
    else:
        con = load_population(args.db, population)
        t0 = time.perf_counter()
        build_index(con)
        build_s = time.perf_counter() - t0
    master_rows = population.master.num_rows
    request = generate_request(population, args.queries, seed=args.seed + 9)
    queries, _ = matchable_items(request.items, request.truth)
    del population, request
    matcher = Matcher.open(con, default_params())
    for query in queries[:50]:  # warm the caches the way a running service would be
        matcher.match_one(query)
    timings = []
    for query in queries:
        start = time.perf_counter()
        matcher.match_one(query)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99) - 1]
    size_mb = args.db.stat().st_size / 2**20
    command = (
        f"bench/bench_matching_latency.py --taxpayers {args.taxpayers} --queries {args.queries}"
    )
    body = "\n".join(
        [
            f"Run: `.venv/bin/python {command}`",
            "",
            f"- machine: {machine()}",
            f"- master: {master_rows} rows for {args.taxpayers} people generated; "
            f"DuckDB file {size_mb:.0f} MiB",
            f"- generation {generate_s:.0f} s; index build {build_s:.0f} s (0 when reused)",
            f"- match_one over {len(timings)} request items, in-process, warm: "
            f"**p50 {p50:.2f} ms, p99 {p99:.2f} ms**, max {timings[-1]:.1f} ms",
            f"- peak RSS {peak_memory_mb():.0f} MiB",
        ]
    )
    print(body)
    write_section(f"On-demand latency ({args.taxpayers} taxpayers)", body)


if __name__ == "__main__":
    main()
