"""The on-demand statements: literals read back exactly, and scoring reads parameters only."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from portcullis.matching import default_params
from portcullis.matching.prepared import prepare_sql, sql_literal
from portcullis.matching.tables import (
    GIVEN_FREQ_TABLE,
    KEY_TABLE,
    META_TABLE,
    TAXPAYER_TABLE,
)

from .households import Row, fill_master


@pytest.mark.parametrize(
    ("value", "sql_type"),
    [
        pytest.param(None, "VARCHAR", id="null"),
        pytest.param("O'Brien", "VARCHAR", id="quote"),
        pytest.param("Ñandú \\ 東京", "VARCHAR", id="non-ascii-and-backslash"),
        pytest.param(0.1 + 0.2, "DOUBLE", id="double-exact"),
        pytest.param(1.5e-07, "DOUBLE", id="double-exponent"),
        pytest.param(18_446_744_073_709_551_615, "UBIGINT", id="largest-key-hash"),
        pytest.param(dt.date(1950, 2, 10), "DATE", id="date"),
        pytest.param(["a", "b'c"], "VARCHAR[]", id="list"),
        pytest.param([], "INTEGER[]", id="empty-list"),
    ],
)
def test_literal_reads_back_as_the_same_value(
    con: duckdb.DuckDBPyConnection, value: object, sql_type: str
) -> None:
    row = con.execute(f"SELECT {sql_literal(value)}::{sql_type}").fetchone()
    assert row is not None and row[0] == value


def test_booleans_are_refused() -> None:
    with pytest.raises(TypeError):
        sql_literal(True)


def test_scoring_reads_no_index_table(con: duckdb.DuckDBPyConnection) -> None:
    # DuckDB plans a statement that reads a table again on every EXECUTE.
    fill_master(con, [Row("100000001", "Ana")])
    statement = prepare_sql(con, "scored", default_params())
    tables = (TAXPAYER_TABLE, KEY_TABLE, GIVEN_FREQ_TABLE, META_TABLE)
    assert not [table for table in tables if table in statement]
    con.execute(statement)
