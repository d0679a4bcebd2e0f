"""The persistent match index: normalised taxpayers, their addresses, blocking keys, frequencies."""

from __future__ import annotations

import duckdb

from portcullis.master.loads import store_version
from portcullis.matching.dialect import DUCKDB
from portcullis.matching.keys import keys_sql
from portcullis.matching.lookup import write_lookup
from portcullis.matching.normalise import STAGES, stage_distinct_values, staged_rows_sql
from portcullis.matching.tables import (
    ADDRESS_STRUCT_FIELDS,
    ADDRESS_VALUE_FIELDS,
    ADDRESSES,
    FORMER_SURNAMES,
    GIVEN_FREQ_TABLE,
    IDENTITY_FIELDS,
    INDEX_LAYOUT,
    KEY_TABLE,
    META_TABLE,
    RAW_ADDRESS,
    RETIRED_TABLES,
    TAXPAYER_TABLE,
)

_STAGE_ROW = "match_stage_row"
_LATEST = "match_stage_latest"
# Taxpayers whose address histories are aggregated in one statement.
BUILD_SLICE = 1_000_000
_IDENTITY = ", ".join(f.name for f in IDENTITY_FIELDS)
# The address as filed travels with the index, so a release never needs a second lookup.
_ADDRESS_STRUCT = "{" + ", ".join(f"'{name}': {name}" for name in ADDRESS_STRUCT_FIELDS) + "}"
_ADDRESS_VALUES = ", ".join(ADDRESS_VALUE_FIELDS)
# A surname the taxpayer filed under other than the latest return's.
_FORMER = "CASE WHEN s.ln IS DISTINCT FROM part.ln THEN s.ln END"
_RAW_KEEP = ", ".join(f"m.{name} AS raw_{name}" for name in RAW_ADDRESS)


def build_index(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild every `match_` table from the master (idempotent; call after each master load)."""
    # Names and addresses repeat across tax years and households: normalise each distinct value
    # of each column once in Python, then let SQL join them back to the rows and derive the rest.
    for stage in STAGES:
        stage_distinct_values(con, stage)
    con.execute("BEGIN TRANSACTION")
    try:
        _publish(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    write_lookup(con)
    for table in (*(stage.table for stage in STAGES), _STAGE_ROW, _LATEST, *RETIRED_TABLES):
        con.execute(f"DROP TABLE IF EXISTS {table}")


def _taxpayer_rows_sql(first: int, end: int) -> str:
    """Return SQL giving the taxpayer rows of positions [first, end), history nested, in order."""
    # Lists are sorted after aggregation, as the Spark engine sorts them: an ordered aggregate
    # sorts each group apart and took a third more time. Addresses last filed in the same year
    # are ordered by their fields, the same on both engines.
    return f"""WITH part AS (SELECT * FROM {_LATEST} WHERE pos >= {first} AND pos < {end}),
        places AS (
            SELECT s.tin_n, {_ADDRESS_VALUES}, list_sort(list(s.tax_year)) AS years,
                max(s.tax_year) AS last_year
            FROM {_STAGE_ROW} s SEMI JOIN part ON part.tin_n = s.tin_n
            GROUP BY s.tin_n, {_ADDRESS_VALUES}),
        history AS (
            SELECT tin_n, list_transform(list_sort(list({{'last_year': last_year,
                'address': {_ADDRESS_STRUCT}}})), lambda x: x.address) AS {ADDRESSES}
            FROM places GROUP BY tin_n),
        former AS (
            SELECT s.tin_n, {DUCKDB.sorted_distinct(_FORMER)} AS names
            FROM {_STAGE_ROW} s JOIN part ON part.tin_n = s.tin_n GROUP BY s.tin_n)
        SELECT part.*, coalesce(former.names, []::VARCHAR[]) AS {FORMER_SURNAMES},
            history.{ADDRESSES}
        FROM part JOIN history ON history.tin_n = part.tin_n
        JOIN former ON former.tin_n = part.tin_n ORDER BY part.pos"""


def _publish(con: duckdb.DuckDBPyConnection) -> None:
    kept = f"m.tin, m.tin::BIGINT AS tin_n, m.tax_year, m.date_of_birth AS dob, {_RAW_KEEP}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_STAGE_ROW} AS {staged_rows_sql(kept)}")
    # Each taxpayer gets a position in surname order: the candidates of one query mostly share a
    # surname, so they sit together. Positions and name frequencies come from the latest return,
    # on narrow rows (window functions over them spill to disk when memory runs short).
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {_LATEST} AS
        WITH latest AS (
            SELECT tin, tin_n, {_IDENTITY} FROM {_STAGE_ROW}
            QUALIFY row_number() OVER (PARTITION BY tin_n ORDER BY tax_year DESC) = 1)
        SELECT (row_number() OVER (ORDER BY ln, fn, tin_n) - 1)::BIGINT AS pos, *,
            count(*) OVER (PARTITION BY fn) / count(*) OVER () AS fn_tf,
            count(*) OVER (PARTITION BY ln) / count(*) OVER () AS ln_tf
        FROM latest""")
    counted = con.execute(f"SELECT count(*) FROM {_LATEST}").fetchone()
    taxpayers = int(counted[0]) if counted else 0
    # The address history, nested in each taxpayer's row, is aggregated a slice of positions at
    # a time: list aggregates cannot spill, and a national master's histories at once would not
    # fit in memory. Slices are appended in position order, so the table stays sorted by `pos`.
    con.execute(f"DROP TABLE IF EXISTS {TAXPAYER_TABLE}")
    for first in range(0, max(taxpayers, 1), BUILD_SLICE):
        rows = _taxpayer_rows_sql(first, first + BUILD_SLICE)
        if first == 0:
            con.execute(f"CREATE TABLE {TAXPAYER_TABLE} AS {rows}")
        else:
            con.execute(f"INSERT INTO {TAXPAYER_TABLE} {rows}")
    con.execute(f"""CREATE OR REPLACE TABLE {KEY_TABLE} AS
        WITH keyed AS (
            SELECT DISTINCT t.pos, s.fn, s.ln_tokens, s.dob, s.house, s.zip5
            FROM {_STAGE_ROW} s JOIN {_LATEST} t ON t.tin_n = s.tin_n),
        distinct_keys AS (SELECT owner AS pos, key_hash, cap FROM ({keys_sql("keyed", "pos")})),
        kept AS (
            SELECT key_hash FROM distinct_keys GROUP BY key_hash HAVING count(*) <= any_value(cap))
        SELECT key_hash, pos FROM distinct_keys SEMI JOIN kept USING (key_hash)
        ORDER BY key_hash""")
    con.execute(f"""CREATE OR REPLACE TABLE {GIVEN_FREQ_TABLE} AS
        SELECT DISTINCT fn, fn_tf FROM {TAXPAYER_TABLE} WHERE fn IS NOT NULL ORDER BY fn""")
    con.execute(f"""CREATE OR REPLACE TABLE {META_TABLE} AS SELECT
        now()::TIMESTAMP AS built_at,
        (SELECT library_version FROM pragma_version()) AS engine_version,
        {INDEX_LAYOUT} AS layout,
        (SELECT count(*) FROM {TAXPAYER_TABLE}) AS taxpayers,
        (SELECT count(*) FROM {_STAGE_ROW}) AS address_rows,
        (SELECT count(*) FROM {KEY_TABLE}) AS keys,
        {store_version(con)}::BIGINT AS master_version""")


def built_from_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The master store version the index was built from, or None without a readable index."""
    try:
        row = con.execute(f"SELECT master_version FROM {META_TABLE}").fetchone()
    except duckdb.Error:  # no index, or one built before the version was recorded
        return None
    return None if row is None or row[0] is None else int(row[0])
