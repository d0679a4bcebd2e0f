"""The on-demand lookup: the match index's keys and taxpayer rows in SQLite B-trees.

DuckDB reads whole row groups, so finding thirty taxpayers scattered over a national master costs
tens of milliseconds whatever the filter. The on-demand path needs point reads instead: each
blocking key's positions, each position's taxpayer row (address history included) as the JSON
the scoring statement takes, and each given name's frequency. `build_index` writes them here from
the DuckDB tables, in one file beside the DuckDB file (or in a named in-memory SQLite database
when DuckDB runs in memory), stamped with the index's build time so that a stale lookup is
refused rather than read.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from portcullis.matching.errors import IndexMissing
from portcullis.matching.tables import GIVEN_FREQ_TABLE, KEY_TABLE, META_TABLE, TAXPAYER_TABLE

SUFFIX = ".match-lookup.sqlite"
_MEMORY_PREFIX = "memory:"
# A named in-memory SQLite database lives while one connection to it is open: these keep them.
_MEMORY_KEEPERS: dict[str, sqlite3.Connection] = {}
_KEEPERS_LOCK = threading.Lock()
_BATCH = 100_000
_SIGN = 1 << 64

# The taxpayer row as the scoring statement reads it (the numeric TIN is for joins only).
CANDIDATE_SQL = f"SELECT * EXCLUDE (tin_n) FROM {TAXPAYER_TABLE}"
_SCHEMA = """
CREATE TABLE lookup_meta (built_at TEXT NOT NULL, min_tf REAL NOT NULL);
CREATE TABLE lookup_key (key_hash INTEGER PRIMARY KEY, positions TEXT NOT NULL);
CREATE TABLE lookup_taxpayer (pos INTEGER PRIMARY KEY, row_json TEXT NOT NULL);
CREATE TABLE lookup_given (fn TEXT PRIMARY KEY, fn_tf REAL NOT NULL) WITHOUT ROWID;
"""


@dataclass(frozen=True, slots=True)
class Fetched:
    """What the scoring statement needs besides the query: candidates and two frequencies."""

    candidates_json: str
    given_tf: float | None
    min_tf: float


def write_lookup(con: duckdb.DuckDBPyConnection) -> None:
    """Write the lookup for the index now in `con` (call after the index tables are committed)."""
    location = _location(con)
    built_at, min_tf = _index_stamp(con)
    if location.startswith(_MEMORY_PREFIX):
        db = _memory_keeper(location)
        db.executescript(
            "DROP TABLE IF EXISTS lookup_meta; DROP TABLE IF EXISTS lookup_key;"
            "DROP TABLE IF EXISTS lookup_taxpayer; DROP TABLE IF EXISTS lookup_given;"
        )
        _fill(con, db, built_at, min_tf)
        return
    final = Path(location)
    partial = final.with_name(final.name + ".partial")
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        _fill(con, db, built_at, min_tf)
    finally:
        db.close()
    # Readers see the old lookup or the new one, never half of one.
    partial.replace(final)


class Lookup:
    """Point reads of the lookup, for one matcher (calls are serialised by the matcher's lock)."""

    def __init__(self, db: sqlite3.Connection, min_tf: float) -> None:
        self._db = db
        self._min_tf = min_tf

    @classmethod
    def open(cls, con: duckdb.DuckDBPyConnection) -> Lookup:
        """Return the lookup of the index in `con`, refusing one built from another index."""
        location = _location(con)
        built_at, _ = _index_stamp(con)
        if location.startswith(_MEMORY_PREFIX):
            if location not in _MEMORY_KEEPERS:
                raise IndexMissing("the match lookup is missing: run 'portcullis match index'")
            db = sqlite3.connect(_memory_uri(location), uri=True, check_same_thread=False)
        else:
            if not Path(location).exists():
                raise IndexMissing("the match lookup is missing: run 'portcullis match index'")
            uri = Path(location).resolve().as_uri() + "?mode=ro"
            db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        try:
            row = db.execute("SELECT built_at, min_tf FROM lookup_meta").fetchone()
        except sqlite3.Error:
            row = None
        if row is None or row[0] != built_at:
            db.close()
            raise IndexMissing("the match lookup is out of date: run 'portcullis match index'")
        return cls(db, float(row[1]))

    def fetch(self, keys: Mapping[int, str], given: str | None) -> Fetched | None:
        """Return the candidates sharing any of `keys` (hash -> kind), or None if there are none."""
        if not keys:
            return None
        signed = {_signed(hashed): kind for hashed, kind in keys.items()}
        marks = ", ".join("?" * len(signed))
        kinds: dict[int, set[str]] = {}
        for hashed, positions in self._db.execute(
            f"SELECT key_hash, positions FROM lookup_key WHERE key_hash IN ({marks})",
            list(signed),
        ):
            kind = signed[hashed]
            for pos in positions.split(","):
                kinds.setdefault(int(pos), set()).add(kind)
        if not kinds:
            return None
        wanted = sorted(kinds)
        marks = ", ".join("?" * len(wanted))
        rows = self._db.execute(
            f"SELECT pos, row_json FROM lookup_taxpayer WHERE pos IN ({marks}) ORDER BY pos",
            wanted,
        ).fetchall()
        # Each row gains the two columns a pair carries: its query (0) and its matching key kinds.
        parts = [
            '{"qid":0,"kinds":' + json.dumps(sorted(kinds[pos])) + "," + body[1:]
            for pos, body in rows
        ]
        given_row = self._db.execute(
            "SELECT fn_tf FROM lookup_given WHERE fn = ?", (given,)
        ).fetchone()
        return Fetched(
            candidates_json="[" + ",".join(parts) + "]",
            given_tf=None if given_row is None else float(given_row[0]),
            min_tf=self._min_tf,
        )

    def close(self) -> None:
        """Close the lookup's connection."""
        self._db.close()


def _fill(
    con: duckdb.DuckDBPyConnection, db: sqlite3.Connection, built_at: str, min_tf: float
) -> None:
    db.executescript(_SCHEMA)
    db.execute("INSERT INTO lookup_meta VALUES (?, ?)", (built_at, min_tf))
    cur = con.cursor()
    try:
        # SQLite integers are signed: a key hash above 2^63 is stored minus 2^64. Positions are
        # sorted after grouping: an ordered string_agg sorts each group apart, a third slower.
        _copy(
            cur,
            db,
            f"""SELECT (key_hash::HUGEINT - CASE WHEN key_hash >= {1 << 63} THEN {_SIGN}
                ELSE 0 END)::BIGINT, array_to_string(list_sort(list(pos)), ',')
            FROM {KEY_TABLE} GROUP BY key_hash ORDER BY 1""",
            "INSERT INTO lookup_key VALUES (?, ?)",
        )
        _copy(
            cur,
            db,
            f"SELECT pos, to_json(t)::VARCHAR FROM ({CANDIDATE_SQL}) t ORDER BY pos",
            "INSERT INTO lookup_taxpayer VALUES (?, ?)",
        )
        _copy(
            cur,
            db,
            f"SELECT fn, fn_tf FROM {GIVEN_FREQ_TABLE} ORDER BY fn",
            "INSERT INTO lookup_given VALUES (?, ?)",
        )
    finally:
        cur.close()
    db.commit()


def _copy(cur: duckdb.DuckDBPyConnection, db: sqlite3.Connection, select: str, insert: str) -> None:
    result = cur.execute(select)
    while batch := result.fetchmany(_BATCH):
        db.executemany(insert, batch)


def _index_stamp(con: duckdb.DuckDBPyConnection) -> tuple[str, float]:
    try:
        row = con.execute(
            f"SELECT built_at, 1.0 / greatest(taxpayers, 1) FROM {META_TABLE}"
        ).fetchone()
    except duckdb.Error as exc:
        raise IndexMissing("the match index is missing: run 'portcullis match index'") from exc
    if row is None:
        raise IndexMissing("the match index is missing: run 'portcullis match index'")
    built: dt.datetime = row[0]
    return built.isoformat(), float(row[1])


def _location(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if row is not None and row[0]:
        return str(row[0]) + SUFFIX
    # An in-memory DuckDB database gets an in-memory lookup named after the index's build.
    token = con.execute(
        f"SELECT md5(concat_ws('|', built_at, taxpayers, address_rows, keys)) FROM {META_TABLE}"
    ).fetchone()
    if token is None:
        raise IndexMissing("the match index is missing: run 'portcullis match index'")
    return f"{_MEMORY_PREFIX}{token[0]}"


def _memory_uri(location: str) -> str:
    return f"file:portcullis-{location.removeprefix(_MEMORY_PREFIX)}?mode=memory&cache=shared"


def _memory_keeper(location: str) -> sqlite3.Connection:
    with _KEEPERS_LOCK:
        keeper = _MEMORY_KEEPERS.get(location)
        if keeper is None:
            keeper = sqlite3.connect(_memory_uri(location), uri=True, check_same_thread=False)
            _MEMORY_KEEPERS[location] = keeper
        return keeper


def _signed(hashed: int) -> int:
    return hashed - _SIGN if hashed >= 1 << 63 else hashed
