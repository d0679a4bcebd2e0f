"""The matcher: on-demand and batch paths over the same SQL steps and the same decision rules."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from portcullis.matching.errors import IndexMissing
from portcullis.matching.keys import query_keys, spark_key
from portcullis.matching.lookup import Lookup
from portcullis.matching.params import MatchParams
from portcullis.matching.prepared import execute_sql, prepare_sql
from portcullis.matching.profile import Profile
from portcullis.matching.query import MatchQuery, profile_query
from portcullis.matching.result import MatchResult
from portcullis.matching.rows import query_row, query_table
from portcullis.matching.score import (
    candidates_sql,
    levels_sql,
    pairs_sql,
    queries_sql,
    top_sql,
    weights_sql,
)
from portcullis.matching.tables import INDEX_LAYOUT, META_TABLE
from portcullis.matching.verdicts import result_of, results_by_query

_STATEMENT = "match_one_scored"


@dataclass
class Matcher:
    """Matches queries against the indexed master with one model version."""

    con: duckdb.DuckDBPyConnection
    params: MatchParams
    lookup: Lookup
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _cursor: duckdb.DuckDBPyConnection | None = None

    @classmethod
    def open(cls, con: duckdb.DuckDBPyConnection, params: MatchParams) -> Matcher:
        """Return a matcher over `con`, failing when the index is missing."""
        found = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [META_TABLE]
        ).fetchone()
        if found is None or found[0] == 0:
            raise IndexMissing("the match index is missing: run 'portcullis match index'")
        try:
            built = con.execute(
                "SELECT engine_version, (SELECT library_version FROM pragma_version()), layout "
                f"FROM {META_TABLE}"
            ).fetchone()
        except duckdb.Error as exc:
            raise IndexMissing(
                "the match index is out of date: run 'portcullis match index'"
            ) from exc
        if built is None or built[0] != built[1] or built[2] != INDEX_LAYOUT:
            # Key hashes are the engine's own; an index from another engine version (or of an
            # earlier layout) is unusable.
            raise IndexMissing("the match index is out of date: run 'portcullis match index'")
        return cls(con=con, params=params, lookup=Lookup.open(con))

    def match_one(self, query: MatchQuery) -> MatchResult:
        """Return the verdict for one query, reading only its keys and candidates of the index."""
        profile = profile_query(query)
        rows: list[dict[str, Any]] = []
        with self._lock:
            fetched = self.lookup.fetch(query_keys(profile), profile.fn)
            if fetched is not None:
                row = query_row(profile, query.tax_years)
                arguments = [fetched.candidates_json, fetched.given_tf, fetched.min_tf]
                rows = _rows(self._prepared(), execute_sql(_STATEMENT, row, arguments))
        return result_of(query, rows, self.params)

    def match_batch(self, queries: Sequence[MatchQuery]) -> list[MatchResult]:
        """Return verdicts for many queries with set-based joins, in the order given."""
        if not queries:
            return []
        return results_by_query(queries, self._scored(queries, top=True).to_pylist(), self.params)

    def scored_pairs(self, queries: Sequence[MatchQuery]) -> pa.Table:
        """Return every blocked pair of the queries with its levels and weights (qid = position)."""
        return self._scored(queries, top=False)

    def _scored(self, queries: Sequence[MatchQuery], top: bool) -> pa.Table:
        profiles = [profile_query(q) for q in queries]
        table = query_table(profiles, [q.tax_years for q in queries])
        keys = query_key_table(profiles)
        with self._lock:
            cur = self.con.cursor()
            try:
                cur.register("bq", table)
                cur.register("bqk", keys)
                cur.execute(f"CREATE OR REPLACE TEMP TABLE match_batch_pairs AS {pairs_sql('bqk')}")
                levels = levels_sql(queries_sql("bq"), candidates_sql("match_batch_pairs"))
                scored = weights_sql(self.params, levels)
                result = _arrow(cur, top_sql(scored) if top else scored)
                cur.execute("DROP TABLE IF EXISTS match_batch_pairs")
            finally:
                cur.close()
        return result

    def _prepared(self) -> duckdb.DuckDBPyConnection:
        # A statement is prepared per connection, so the matcher keeps a cursor of its own.
        if self._cursor is None:
            cursor = self.con.cursor()
            cursor.execute(prepare_sql(cursor, _STATEMENT, self.params))
            self._cursor = cursor
        return self._cursor


def _arrow(cur: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    table = cur.sql(sql).to_arrow_table()
    if table is None:
        raise IndexMissing("the match index returned no result set: run 'portcullis match index'")
    return table


def query_key_table(profiles: Sequence[Profile], signed: bool = False) -> pa.Table:
    """Return (qid, key_hash, kind) for every blocking key of each profile, numbered by position.

    Keys are unsigned as DuckDB's index holds them, or `signed` as Spark's does.
    """
    qids: list[int] = []
    hashes: list[int] = []
    kinds: list[str] = []
    for qid, profile in enumerate(profiles):
        for hashed, kind in query_keys(profile).items():
            qids.append(qid)
            hashes.append(spark_key(hashed) if signed else hashed)
            kinds.append(kind)
    return pa.table(
        {
            "qid": pa.array(qids, pa.int64()),
            "key_hash": pa.array(hashes, pa.int64() if signed else pa.uint64()),
            "kind": pa.array(kinds, pa.string()),
        }
    )


def _rows(cur: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    # A plain execute skips the relation layer's extra bind: it matters at a few rows per call.
    result = cur.execute(sql)
    names = [column[0] for column in result.description or ()]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
