"""Synthetic masters in DuckDB and request items as match queries with their truth."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from portcullis.master.schema import MASTER_TABLE, create_master_tables
from portcullis.matching import MatchQuery
from portcullis.matching.labels import query_from_row
from portcullis.synth import Population

MASTER_COLUMNS = (
    "tin, first_name, middle_name, last_name, name_suffix, date_of_birth, "
    "street, unit, city, state, zip, tax_year"
)


@dataclass(frozen=True)
class Truth:
    """The ground truth of one evaluated item."""

    kind: str
    expected: str
    true_tin: str | None


def load_population(path: Path, population: Population) -> duckdb.DuckDBPyConnection:
    """Write the population's master into a fresh DuckDB file at `path` and return a connection."""
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    create_master_tables(con)
    con.register("synth_master", population.master)
    con.execute(
        f"INSERT INTO {MASTER_TABLE} ({MASTER_COLUMNS}) SELECT tin, first_name, middle_name, "
        "last_name, name_suffix, TRY_CAST(date_of_birth AS DATE), street, unit, city, state, "
        "zip, tax_year FROM synth_master"
    )
    con.unregister("synth_master")
    return con


def matchable_items(items: Any, truth: Any) -> tuple[list[MatchQuery], list[Truth]]:
    """Return the queries and truths of the items that statutory checks would let through."""
    queries: list[MatchQuery] = []
    truths: list[Truth] = []
    for number, (item, fact) in enumerate(
        zip(items.to_pylist(), truth.to_pylist(), strict=True), start=1
    ):
        if fact["expected"] == "refused":
            continue
        queries.append(query_from_row(item, number))
        truths.append(Truth(fact["kind"], fact["expected"], fact["true_tin"]))
    return queries, truths


def labelled_pairs(queries: list[MatchQuery], truths: list[Truth]) -> list[tuple[MatchQuery, str]]:
    """Return (query, true TIN) for items whose person files, the pairs m is estimated from."""
    return [(q, t.true_tin) for q, t in zip(queries, truths, strict=True) if t.true_tin]
