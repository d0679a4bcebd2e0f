"""The on-demand scoring statement: one query's fetched candidates scored, prepared once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import pyarrow as pa

from portcullis.matching.lookup import CANDIDATE_SQL
from portcullis.matching.params import MatchParams
from portcullis.matching.score import (
    levels_sql,
    top_sql,
    weights_sql,
)
from portcullis.matching.tables import QUERY_SCHEMA

# DuckDB 2.0 binds and optimises a prepared statement that reads any table again on every EXECUTE,
# and planning the scoring SQL costs far more than running it on a few candidates. So the
# candidates come from the lookup (lookup.py) and the scoring statement reads only its
# parameters: the candidates travel as JSON text (whose numbers round-trip exactly), and it is
# planned once.
_QUERY_FIELDS = [f for f in QUERY_SCHEMA if f.name != "qid"]
_SQL_TYPES = {
    pa.string(): "VARCHAR",
    pa.list_(pa.string()): "VARCHAR[]",
    pa.date32(): "DATE",
    pa.list_(pa.int32()): "INTEGER[]",
}
_QUERY_TYPES = tuple(_SQL_TYPES[f.type] for f in _QUERY_FIELDS)
# After the query's values: the candidates as JSON, the query's given-name frequency and the
# smallest frequency (one taxpayer's).
_FETCHED_TYPES = ("JSON", "DOUBLE", "DOUBLE")
ARGUMENT_TYPES = _QUERY_TYPES + _FETCHED_TYPES


def prepare_sql(con: duckdb.DuckDBPyConnection, name: str, params: MatchParams) -> str:
    """Return the PREPARE statement scoring one query's fetched candidates under `name`."""
    values = ", ".join(
        f"${n}::{kind} AS {f.name}"
        for n, (f, kind) in enumerate(zip(_QUERY_FIELDS, _QUERY_TYPES, strict=True), start=1)
    )
    first = len(_QUERY_FIELDS) + 1
    candidate = _row_type(
        con, f"SELECT 0::BIGINT AS qid, []::VARCHAR[] AS kinds, c.* FROM ({CANDIDATE_SQL}) c"
    )
    queries = (
        f"SELECT 0::BIGINT AS qid, {values}, ${first + 1}::DOUBLE AS given_tf, "
        f"${first + 2}::DOUBLE AS min_tf"
    )
    candidates = f"SELECT unnest(c) FROM (SELECT unnest(${first}::JSON::{candidate}[]) AS c)"
    scored = top_sql(weights_sql(params, levels_sql(queries, candidates)))
    return f"PREPARE {name} AS\n{scored}"


def execute_sql(name: str, query: Mapping[str, Any], fetched: Sequence[Any]) -> str:
    """Return the EXECUTE statement for one query row (QUERY_SCHEMA names) and its fetched row."""
    arguments = [query[f.name] for f in _QUERY_FIELDS] + list(fetched)
    literals = ", ".join(
        f"{sql_literal(value)}::{kind}"
        for value, kind in zip(arguments, ARGUMENT_TYPES, strict=True)
    )
    return f"EXECUTE {name}({literals})"


def sql_literal(value: object) -> str:
    """Return a SQL literal for None, text, a number, a date or a list of those."""
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, bool):
        raise TypeError("booleans are not query values")
    if isinstance(value, int | float):
        # repr of a float is the shortest text that reads back as the same double.
        return repr(value)
    if isinstance(value, dt.date):
        return f"'{value.isoformat()}'"
    if isinstance(value, Sequence):
        return "[" + ", ".join(sql_literal(item) for item in value) + "]"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def _row_type(con: duckdb.DuckDBPyConnection, select: str) -> str:
    columns = con.execute(f"DESCRIBE {select}").fetchall()
    return "STRUCT(" + ", ".join(f'"{row[0]}" {row[1]}' for row in columns) + ")"
