"""Small in-memory masters and query builders shared by the matching tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import duckdb
import pyarrow as pa

from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.master.schema import create_master_tables
from portcullis.matching import MatchQuery, build_index


@dataclass(frozen=True)
class Row:
    """One master row, with defaults for a household at 12 Oak Street, Springfield IL."""

    tin: str
    first_name: str
    last_name: str = "Smith"
    middle_name: str | None = None
    name_suffix: str | None = None
    date_of_birth: dt.date | None = dt.date(1970, 3, 4)
    street: str = "12 Oak Street"
    unit: str | None = None
    city: str = "Springfield"
    state: str = "IL"
    zip: str = "62701"
    tax_year: int = 2023

    def values(self) -> tuple[object, ...]:
        return (
            self.tin,
            self.first_name,
            self.middle_name,
            self.last_name,
            self.name_suffix,
            self.date_of_birth,
            self.street,
            self.unit,
            self.city,
            self.state,
            self.zip,
            self.tax_year,
        )


def fill_master(con: duckdb.DuckDBPyConnection, rows: Sequence[Row]) -> None:
    """Create the master table, insert `rows` and build the match index."""
    create_master_tables(con)
    con.execute("DELETE FROM master_address")
    if rows:
        columns = list(zip(*(row.values() for row in rows), strict=True))
        table = pa.table(
            {name: list(values) for name, values in zip(MASTER_COLUMNS, columns, strict=True)}
        )
        con.register("fill_rows", table)
        con.execute(
            f"INSERT INTO master_address ({', '.join(MASTER_COLUMNS)}) SELECT * FROM fill_rows"
        )
        con.unregister("fill_rows")
    build_index(con)


def query_for(
    row: Row, key: str = "q", years: frozenset[int] | None = None, **changes: object
) -> MatchQuery:
    """Return a query that names `row` exactly, with `changes` applied."""
    query = MatchQuery(
        key=key,
        first_name=row.first_name,
        middle_name=row.middle_name,
        last_name=row.last_name,
        name_suffix=row.name_suffix,
        date_of_birth=row.date_of_birth,
        tin=None,
        street=row.street,
        unit=row.unit,
        city=row.city,
        state=row.state,
        zip=row.zip,
        tax_years=years if years is not None else frozenset({row.tax_year}),
    )
    return replace(query, **changes)  # type: ignore[arg-type]


def filler(count: int, start: int = 500_000_000) -> list[Row]:
    """Return unrelated taxpayers spread over other names, dates and towns."""
    firsts = ["Liam", "Olivia", "Noah", "Emma", "Ava", "Elijah", "Sophia", "Lucas", "Mia", "Amir"]
    lasts = [
        "Brown",
        "Jones",
        "Miller",
        "Davis",
        "Wilson",
        "Moore",
        "Taylor",
        "Thomas",
        "Lee",
        "Hall",
    ]
    rows = []
    for i in range(count):
        rows.append(
            Row(
                tin=str(start + i),
                first_name=firsts[i % len(firsts)],
                last_name=lasts[(i // len(firsts)) % len(lasts)]
                + ("" if i < 100 else str(i // 100)),
                date_of_birth=dt.date(1940 + i % 60, 1 + i % 12, 1 + i % 28),
                street=f"{100 + i} Elm Street",
                city="Peoria",
                zip=f"616{i % 100:02d}",
            )
        )
    return rows
