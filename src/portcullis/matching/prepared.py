"""The on-demand path's two statements: fetch one query's candidates, then score them, prepared."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import pyarrow as pa

from portcullis.matching.params import MatchParams
from portcullis.matching.score import IndexRelations, levels_sql, pairs_sql, top_sql, weights_sql
from portcullis.matching.tables import (
    ADDRESS_TABLE,
    GIVEN_FREQ_TABLE,
    META_TABLE,
    QUERY_SCHEMA,
    TAXPAYER_TABLE,
)

# DuckDB 2.0 binds and optimises a prepared statement that reads any table again on every EXECUTE,
# and planning the scoring SQL costs far more than running it on a few candidates. So a short
# statement reads the tables and the scoring statement reads only its parameters: the candidates
# travel as JSON text (whose numbers round-trip exactly), and it is planned once.
_QUERY_FIELDS = [f for f in QUERY_SCHEMA if f.name != "qid"]
_SQL_TYPES = {
    pa.string(): "VARCHAR",
    pa.list_(pa.string()): "VARCHAR[]",
    pa.date32(): "DATE",
    pa.list_(pa.int32()): "INTEGER[]",
}
_QUERY_TYPES = tuple(_SQL_TYPES[f.type] for f in _QUERY_FIELDS)
# After the query's values: candidates JSON, addresses JSON, the query's given-name frequency
# and the number of taxpayers.
_FETCHED_TYPES = ("JSON", "JSON", "DOUBLE", "BIGINT")
ARGUMENT_TYPES = _QUERY_TYPES + _FETCHED_TYPES
_STAND_INS = IndexRelations("match_one_t", "match_one_a", "match_one_f", "match_one_m")


def fetch_sql(keys: Mapping[int, str], given: str | None) -> str:
    """Return SQL giving a query's candidates and their addresses as JSON, and two figures."""
    hashes = sql_literal(list(keys))
    kinds = sql_literal(list(keys.values()))
    # Joins (not IN lists) let DuckDB push the few key and position values into the scans at run
    # time, so only the row groups holding them are read.
    return f"""WITH match_one_k AS (
    SELECT 0::BIGINT AS qid, unnest({hashes}::UBIGINT[]) AS key_hash,
        unnest({kinds}::VARCHAR[]) AS kind),
match_one_p AS ({pairs_sql("match_one_k")})
SELECT
    (SELECT to_json(list(c ORDER BY c.pos)) FROM (
        SELECT t.*, p.kinds FROM match_one_p p JOIN {TAXPAYER_TABLE} t ON t.pos = p.pos) c),
    (SELECT to_json(list(a ORDER BY a.pos, a.tax_year)) FROM (
        SELECT a.* FROM match_one_p p JOIN {ADDRESS_TABLE} a ON a.pos = p.pos) a),
    (SELECT fn_tf FROM {GIVEN_FREQ_TABLE} WHERE fn = {sql_literal(given)}::VARCHAR),
    (SELECT taxpayers FROM {META_TABLE})"""


def prepare_sql(con: duckdb.DuckDBPyConnection, name: str, params: MatchParams) -> str:
    """Return the PREPARE statement scoring one query's fetched candidates under `name`."""
    values = ", ".join(
        f"${n}::{kind} AS {f.name}"
        for n, (f, kind) in enumerate(zip(_QUERY_FIELDS, _QUERY_TYPES, strict=True), start=1)
    )
    first = len(_QUERY_FIELDS) + 1
    candidate = _row_type(con, f"SELECT t.*, []::VARCHAR[] AS kinds FROM {TAXPAYER_TABLE} t")
    address = _row_type(con, f"SELECT * FROM {ADDRESS_TABLE}")
    scored = top_sql(weights_sql(params, levels_sql("match_one_q", "match_one_p", _STAND_INS)))
    return f"""PREPARE {name} AS
WITH match_one_q AS (SELECT 0::BIGINT AS qid, {values}),
match_one_t AS (SELECT unnest(c) FROM (SELECT unnest(${first}::JSON::{candidate}[]) AS c)),
match_one_a AS (SELECT unnest(a) FROM (SELECT unnest(${first + 1}::JSON::{address}[]) AS a)),
match_one_f AS (SELECT fn, ${first + 2}::DOUBLE AS fn_tf FROM match_one_q),
match_one_m AS (SELECT ${first + 3}::BIGINT AS taxpayers),
match_one_p AS (SELECT 0::BIGINT AS qid, pos, kinds FROM match_one_t)
SELECT * FROM ({scored})"""


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
