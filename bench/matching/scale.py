"""A kept synthetic master for the scale runs, and queries drawn from it.

Generating ten million taxpayers takes a quarter of an hour here, so a scale directory keeps the
master (a DuckDB file holding only the master table); each index build works on a copy.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import duckdb

from portcullis.master.schema import MASTER_TABLE
from portcullis.matching import MatchQuery
from portcullis.matching.labels import query_from_row
from portcullis.synth import generate_population

from .data import load_population

MASTER = "master.duckdb"
INDEXED = "indexed.duckdb"
FACTS = "facts.txt"
# The batch target is 8 GB of peak memory on this 24 GB machine; DuckDB is held well below it.
MEMORY_LIMIT = "4GB"
# Building the index sorts and aggregates every taxpayer's history at once: it gets more.
BUILD_MEMORY_LIMIT = "10GB"


def prepare(directory: Path, taxpayers: int, seed: int) -> None:
    """Generate the population and keep its master in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    population = generate_population(taxpayers, seed=seed)
    con = load_population(directory / MASTER, population)
    del population
    row = con.execute(f"SELECT count(*) FROM {MASTER_TABLE}").fetchone()
    con.close()
    seconds = time.perf_counter() - started
    text = f"{taxpayers} {row[0] if row else 0} {seed} {seconds:.0f}\n"
    (directory / FACTS).write_text(text, encoding="utf-8")


def facts(directory: Path) -> tuple[int, int]:
    """Return the kept master's taxpayer and row counts."""
    taxpayers, rows, *_ = (directory / FACTS).read_text(encoding="utf-8").split()
    return int(taxpayers), int(rows)


def copy_master(directory: Path) -> duckdb.DuckDBPyConnection:
    """Return a connection to a fresh copy of the kept master (the index is built on the copy)."""
    target = directory / INDEXED
    for stale in directory.glob(f"{INDEXED}*"):
        stale.unlink()
    shutil.copyfile(directory / MASTER, target)
    con = duckdb.connect(str(target))
    con.execute(f"SET memory_limit = '{BUILD_MEMORY_LIMIT}'")
    return con


def sample_queries(
    con: duckdb.DuckDBPyConnection, count: int, seed: int
) -> tuple[list[MatchQuery], list[str]]:
    """Return `count` taxpayers drawn at random, as queries for their latest tax year, and TINs."""
    # Rows shaped as request items, read by the same function the other benches use.
    rows = (
        con.sql(f"""
        WITH drawn AS (
            SELECT tin FROM (SELECT DISTINCT tin FROM {MASTER_TABLE})
            ORDER BY hash(tin || '{seed}') LIMIT {count})
        SELECT m.tin AS true_tin, first_name, middle_name, last_name, name_suffix,
            date_of_birth::VARCHAR AS date_of_birth, street, unit, city, state, zip,
            tax_year::VARCHAR AS taxable_periods
        FROM {MASTER_TABLE} m SEMI JOIN drawn USING (tin)
        QUALIFY row_number() OVER (PARTITION BY m.tin ORDER BY tax_year DESC) = 1
        ORDER BY hash(m.tin || '{seed}')""")
        .to_arrow_table()
        .to_pylist()
    )
    queries = [query_from_row(row, number) for number, row in enumerate(rows, start=1)]
    return queries, [str(row["true_tin"]) for row in rows]


def main() -> None:
    """Generate a scale directory from the command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--taxpayers", type=int, required=True)
    parser.add_argument("--seed", type=int, default=6103)
    args = parser.parse_args()
    prepare(args.directory, args.taxpayers, args.seed)
    print((args.directory / FACTS).read_text(encoding="utf-8"), file=sys.stderr)


if __name__ == "__main__":
    main()
