"""Scale runs against a national-size master: index build, on-demand latency and a large batch.

Usage:
  .venv/bin/python bench/matching/scale.py DIR --taxpayers 10000000      # once: the master
  .venv/bin/python bench/bench_matching_scale.py build DIR
  .venv/bin/python bench/bench_matching_scale.py latency DIR [--queries 1000]
  .venv/bin/python bench/bench_matching_scale.py batch DIR [--items 1280000] [--chunk 80000]

Each step runs in its own process, so each peak memory is its own. Generating request items with
adversarial kinds needs the whole population in memory (more than this machine has at ten
million), so the queries here are taxpayers drawn at random from the master, named as on their
latest return: the accuracy benches measure the hard cases, these measure time and memory, and
count any release that names someone other than the person drawn.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import duckdb
from matching.report import machine, peak_memory_mb, write_section
from matching.scale import (
    BUILD_MEMORY_LIMIT,
    INDEXED,
    MEMORY_LIMIT,
    copy_master,
    facts,
    sample_queries,
)

from portcullis.matching import Matcher, build_index, default_params


def build(directory: Path) -> None:
    """Copy the kept master and build the index on the copy."""
    con = copy_master(directory)
    started = time.perf_counter()
    build_index(con)
    seconds = time.perf_counter() - started
    con.close()
    taxpayers, rows = facts(directory)
    index_mb = (directory / INDEXED).stat().st_size / 2**20
    lookup = directory / f"{INDEXED}.match-lookup.sqlite"
    lookup_mb = lookup.stat().st_size / 2**20
    body = "\n".join(
        [
            f"Run: `.venv/bin/python bench/bench_matching_scale.py build {directory}`",
            "",
            f"- machine: {machine()}; DuckDB memory limit {BUILD_MEMORY_LIMIT}",
            f"- master: {rows} rows, {taxpayers} taxpayers",
            f"- build_index (index tables and on-demand lookup): **{seconds:.0f} s**; "
            f"peak RSS {peak_memory_mb():.0f} MiB",
            f"- DuckDB file with the index {index_mb:.0f} MiB; lookup file {lookup_mb:.0f} MiB",
        ]
    )
    print(body)
    write_section(f"Scale: index build ({taxpayers} taxpayers)", body)


def latency(directory: Path, count: int) -> None:
    """Time match_one on taxpayers drawn from the master, warm, in-process."""
    con = duckdb.connect(str(directory / INDEXED), read_only=True)
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    queries, truth = sample_queries(con, count + 50, seed=1)
    matcher = Matcher.open(con, default_params())
    for query in queries[:50]:  # warm the caches the way a running service would be
        matcher.match_one(query)
    timings, wrong, released = [], 0, 0
    for query, tin in zip(queries[50:], truth[50:], strict=True):
        start = time.perf_counter()
        result = matcher.match_one(query)
        timings.append((time.perf_counter() - start) * 1000)
        if result.verdict == "match":
            released += 1
            wrong += result.tin != tin
    timings.sort()
    taxpayers, _ = facts(directory)
    p50 = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99) - 1]
    body = "\n".join(
        [
            f"Run: `.venv/bin/python bench/bench_matching_scale.py latency {directory} "
            f"--queries {count}`",
            "",
            f"- machine: {machine()}",
            f"- match_one over {len(timings)} taxpayers drawn from the master, in-process, warm: "
            f"**p50 {p50:.2f} ms, p99 {p99:.2f} ms**, max {timings[-1]:.1f} ms",
            f"- released {released}, of which naming someone else: {wrong}",
            f"- peak RSS {peak_memory_mb():.0f} MiB",
        ]
    )
    print(body)
    write_section(f"Scale: on-demand latency ({taxpayers} taxpayers)", body)


def batch(directory: Path, count: int, chunk: int) -> None:
    """Run match_batch over `count` drawn taxpayers in chunks; report time and peak memory."""
    con = duckdb.connect(str(directory / INDEXED), read_only=True)
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    started = time.perf_counter()
    queries, truth = sample_queries(con, count, seed=2)
    sampled = time.perf_counter() - started
    matcher = Matcher.open(con, default_params())
    released = wrong = 0
    verdicts: dict[str, int] = {}
    started = time.perf_counter()
    for first in range(0, len(queries), chunk):
        results = matcher.match_batch(queries[first : first + chunk])
        for result, tin in zip(results, truth[first : first + chunk], strict=True):
            verdicts[result.verdict] = verdicts.get(result.verdict, 0) + 1
            if result.verdict == "match":
                released += 1
                wrong += result.tin != tin
        print(f"{first + len(results)} items, {time.perf_counter() - started:.0f} s", flush=True)
    seconds = time.perf_counter() - started
    taxpayers, _ = facts(directory)
    body = "\n".join(
        [
            f"Run: `.venv/bin/python bench/bench_matching_scale.py batch {directory} "
            f"--items {count} --chunk {chunk}`",
            "",
            f"- machine: {machine()}; DuckDB memory limit {MEMORY_LIMIT}",
            f"- {len(queries)} items (taxpayers drawn from the master, drawn in {sampled:.0f} s) "
            f"against {taxpayers} taxpayers, match_batch in chunks of {chunk}: "
            f"**{seconds:.0f} s** ({len(queries) / seconds:.0f} items/s)",
            f"- verdicts: {dict(sorted(verdicts.items()))}; released naming someone else: {wrong}",
            f"- **peak RSS {peak_memory_mb():.0f} MiB**",
        ]
    )
    print(body)
    write_section(f"Scale: batch ({len(queries)} items x {taxpayers} taxpayers)", body)


def main() -> None:
    """Run one step of the scale benchmark."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("step", choices=("build", "latency", "batch"))
    parser.add_argument("directory", type=Path)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--items", type=int, default=1_280_000)
    parser.add_argument("--chunk", type=int, default=80_000)
    args = parser.parse_args()
    if args.step == "build":
        build(args.directory)
    elif args.step == "latency":
        latency(args.directory, args.queries)
    else:
        batch(args.directory, args.items, args.chunk)


if __name__ == "__main__":
    main()
