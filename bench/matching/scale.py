"""Synthetic data for the scale runs, generated once and kept on disk between benchmark runs.

Generating ten million taxpayers takes a quarter of an hour here, so a scale directory keeps the
master (a DuckDB file holding only the master table, copied before each index build) and the
request items with their truth as Parquet. Everything is deterministic by seed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from portcullis.matching import MatchQuery
from portcullis.synth import generate_population
from portcullis.synth.request import generate_request

from .data import Truth, load_population, matchable_items

MASTER = "master.duckdb"
ITEMS = "items.parquet"
TRUTH = "truth.parquet"
FACTS = "facts.txt"


@dataclass(frozen=True)
class ScaleData:
    """A kept scale directory: its master file, its queries and their truth."""

    directory: Path
    master_rows: int
    taxpayers: int
    queries: list[MatchQuery]
    truths: list[Truth]

    def working_copy(self, path: Path) -> duckdb.DuckDBPyConnection:
        """Return a connection to a fresh copy of the master at `path` (the kept file stays clean)."""
        path.unlink(missing_ok=True)
        shutil.copyfile(self.directory / MASTER, path)
        return duckdb.connect(str(path))


def prepare(directory: Path, taxpayers: int, items: int, seed: int) -> None:
    """Generate the population and one request, and keep them in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    population = generate_population(taxpayers, seed=seed)
    generated = time.perf_counter() - started
    con = load_population(directory / MASTER, population)
    rows = con.execute("SELECT count(*) FROM master_address").fetchone()
    con.close()
    request = generate_request(population, items, seed=seed + 9)
    pq.write_table(request.items, directory / ITEMS)
    pq.write_table(request.truth, directory / TRUTH)
    total = time.perf_counter() - started
    facts = f"{taxpayers} {rows[0] if rows else 0} {seed} {generated:.0f} {total:.0f}\n"
    (directory / FACTS).write_text(facts, encoding="utf-8")


def load(directory: Path) -> ScaleData:
    """Return the kept data of `directory` (made by `prepare`)."""
    taxpayers, rows, *_ = (directory / FACTS).read_text(encoding="utf-8").split()
    items = pq.read_table(directory / ITEMS)
    truth = pq.read_table(directory / TRUTH)
    queries, truths = matchable_items(items, truth)
    return ScaleData(directory, int(rows), int(taxpayers), queries, truths)


def main() -> None:
    """Generate a scale directory from the command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--taxpayers", type=int, required=True)
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("--seed", type=int, default=6103)
    args = parser.parse_args()
    prepare(args.directory, args.taxpayers, args.items, args.seed)
    print((args.directory / FACTS).read_text(encoding="utf-8"), file=sys.stderr)


if __name__ == "__main__":
    main()
