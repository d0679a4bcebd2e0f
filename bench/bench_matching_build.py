"""Index build time: build_index over a synthetic master, the main cost of `portcullis demo`.

Usage: .venv/bin/python bench/bench_matching_build.py [--taxpayers N] [--runs N]
Generates a master, builds the match index --runs times on it and writes bench/results/matching.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from matching.data import load_population
from matching.report import machine, peak_memory_mb, write_section

from portcullis.matching import build_index
from portcullis.synth import generate_population


def main() -> None:
    """Run the build benchmark and write its section of the results file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--taxpayers", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=6103)
    parser.add_argument("--db", type=Path, default=Path("/tmp/portcullis-build.duckdb"))
    args = parser.parse_args()
    population = generate_population(args.taxpayers, seed=args.seed)
    con = load_population(args.db, population)
    rows = population.master.num_rows
    del population
    seconds = []
    for _ in range(args.runs):
        start = time.perf_counter()
        build_index(con)
        seconds.append(time.perf_counter() - start)
    con.close()
    body = "\n".join(
        [
            f"Run: `.venv/bin/python bench/bench_matching_build.py --taxpayers {args.taxpayers}`",
            "",
            f"- machine: {machine()}",
            f"- master: {rows} rows for {args.taxpayers} people generated",
            f"- build_index, {args.runs} runs: "
            + ", ".join(f"{s:.1f} s" for s in seconds)
            + f" (median **{statistics.median(seconds):.1f} s**)",
            f"- peak RSS {peak_memory_mb():.0f} MiB",
        ]
    )
    print(body)
    write_section(f"Index build ({args.taxpayers} taxpayers)", body)


if __name__ == "__main__":
    main()
