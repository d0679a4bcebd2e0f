"""Batch matching on DuckDB and on Spark local[2], side by side on the same synthetic data.

Usage:
  .venv/bin/python bench/bench_spark.py [--taxpayers 200000] [--items 20000] [--master local[2]]

Both engines build their index from the same master and decide the same items (synthetic, with
adversarial kinds); the run counts the items on which their verdicts or taxpayers differ (the
differential test asks for none) and writes the section "Spark beside DuckDB" of
bench/results/matching.md. Spark's figures include its own start-up and planning.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from matching.data import load_population, matchable_items
from matching.report import machine, peak_memory_mb, write_section

from portcullis.matching import Matcher, MatchQuery, MatchResult, build_index, default_params
from portcullis.matching.spark import (
    SparkMatcher,
    SparkSettings,
    build_spark_index,
    export_master,
    spark_session,
)
from portcullis.synth import generate_population, generate_request


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taxpayers", type=int, default=200_000)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--master", default="local[2]", help="spark.master for the Spark run")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    clock = time.perf_counter
    started = clock()
    population = generate_population(args.taxpayers, seed=args.seed)
    batch = generate_request(population, args.items, seed=args.seed)
    queries, _ = matchable_items(batch.items, batch.truth)
    generated = clock() - started
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        con = load_population(root / "master.duckdb", population)
        rows = population.master.num_rows
        del population, batch
        t0 = clock()
        build_index(con)
        duck_build = clock() - t0
        t0 = clock()
        on_duckdb = Matcher.open(con, default_params()).match_batch(queries)
        duck_batch = clock() - t0
        t0 = clock()
        spark = spark_session(SparkSettings(master=args.master, conf={"spark.driver.memory": "6g"}))
        spark.sparkContext.setLogLevel("ERROR")
        started_spark = clock() - t0
        t0 = clock()
        master = export_master(con, root / "spark" / "master.parquet")
        exported = clock() - t0
        t0 = clock()
        build_spark_index(spark, master, root / "spark")
        spark_build = clock() - t0
        t0 = clock()
        on_spark = SparkMatcher.open(spark, root / "spark", default_params()).match_batch(queries)
        spark_batch = clock() - t0
        keys = spark.read.parquet(str(root / "spark" / "match_key")).count()
        spark.stop()
    pairs = list(zip(queries, on_duckdb, on_spark, strict=True))
    differing = [
        (q, a, b)
        for q, a, b in pairs
        if (a.verdict, a.tin) != (b.verdict, b.tin) or abs(a.match_weight - b.match_weight) > 1e-6
    ]
    differ = sum((a.verdict, a.tin) != (b.verdict, b.tin) for _, a, b in pairs)
    worst = max(
        (abs(a.match_weight - b.match_weight) for a, b in zip(on_duckdb, on_spark, strict=True)),
        default=0.0,
    )
    n = len(queries)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    body = "\n".join(
        [
            f"Run: `.venv/bin/python bench/bench_spark.py --taxpayers {args.taxpayers} "
            f"--items {args.items} --master '{args.master}'`",
            "",
            f"- machine: {machine()}",
            f"- data: {args.taxpayers:,} synthetic taxpayers ({rows:,} master rows), "
            f"{n:,} items to match (adversarial kinds included); generated in {generated:.0f} s",
            f"- DuckDB: build_index {duck_build:.1f} s (lookup included); match_batch "
            f"{duck_batch:.1f} s ({n / duck_batch:,.0f} items/s)",
            f"- Spark {args.master}: session start {started_spark:.1f} s; master to Parquet "
            f"{exported:.1f} s; index build {spark_build:.1f} s ({keys:,} key rows); "
            f"match_batch {spark_batch:.1f} s ({n / spark_batch:,.0f} items/s)",
            f"- items whose verdict or taxpayer differ between the engines: **{differ}**; "
            f"largest weight difference {worst:.2e} bits",
            f"- peak RSS of the Python driver {peak_memory_mb():.0f} MiB (the JVM is not counted)",
            f"- load average at the end (1, 5, 15 min): {load}",
            *(describe(q, a, b) for q, a, b in differing[:20]),
        ]
    )
    write_section("Spark beside DuckDB", body)
    print(body)


def describe(query: MatchQuery, on_duckdb: MatchResult, on_spark: MatchResult) -> str:
    """One line naming an item the engines disagree on (verdict, taxpayer or weight)."""
    name = " ".join(p for p in (query.first_name, query.middle_name, query.last_name) if p)

    def side(result: MatchResult) -> str:
        evidence = result.evidence
        return (
            f"{result.verdict} {result.tin} {result.match_weight:.4f} bits "
            f"{evidence.get('reason')} {evidence.get('best')}"
        )

    return (
        f"  - item {query.key} ({name}, born {query.date_of_birth}): "
        f"DuckDB {side(on_duckdb)}; Spark {side(on_spark)}"
    )


if __name__ == "__main__":
    main()
