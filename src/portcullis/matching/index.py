"""The persistent match index: normalised taxpayers, their addresses, blocking keys, frequencies."""

from __future__ import annotations

import duckdb

from portcullis.matching.keys import KEY_CAP, keys_sql
from portcullis.matching.lookup import write_lookup
from portcullis.matching.normalise import STAGES, stage_distinct_values, staged_rows_sql
from portcullis.matching.tables import (
    ADDRESS_STRUCT_FIELDS,
    ADDRESS_VALUE_FIELDS,
    ADDRESSES,
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
_IDENTITY = ", ".join(f.name for f in IDENTITY_FIELDS)
# The address as filed travels with the index, so a release never needs a second lookup.
_ADDRESS_STRUCT = "{" + ", ".join(f"'{name}': {name}" for name in ADDRESS_STRUCT_FIELDS) + "}"
_ADDRESS_VALUES = ", ".join(ADDRESS_VALUE_FIELDS)
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
    for table in (*(stage.table for stage in STAGES), _STAGE_ROW, *RETIRED_TABLES):
        con.execute(f"DROP TABLE IF EXISTS {table}")


def _publish(con: duckdb.DuckDBPyConnection) -> None:
    kept = f"m.tin, m.tin::BIGINT AS tin_n, m.tax_year, m.date_of_birth AS dob, {_RAW_KEEP}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_STAGE_ROW} AS {staged_rows_sql(kept)}")
    # Each taxpayer gets a position in surname order: the candidates of one query mostly share a
    # surname, so they sit in few row groups, and DuckDB's zone maps on `pos` let the on-demand
    # path read only those (no scan of the master, whatever its size). The address history is
    # nested in the taxpayer's row, oldest first.
    con.execute(f"""CREATE OR REPLACE TABLE {TAXPAYER_TABLE} AS
        WITH latest AS (
            SELECT tin, tin_n, {_IDENTITY} FROM {_STAGE_ROW}
            QUALIFY row_number() OVER (PARTITION BY tin_n ORDER BY tax_year DESC) = 1),
        places AS (
            SELECT tin_n, {_ADDRESS_VALUES}, list(tax_year ORDER BY tax_year) AS years,
                max(tax_year) AS last_year
            FROM {_STAGE_ROW} GROUP BY tin_n, {_ADDRESS_VALUES}),
        history AS (
            SELECT tin_n, list({_ADDRESS_STRUCT} ORDER BY last_year) AS {ADDRESSES}
            FROM places GROUP BY tin_n)
        SELECT (row_number() OVER (ORDER BY l.ln, l.fn, l.tin_n) - 1)::BIGINT AS pos, l.*,
            count(*) OVER (PARTITION BY l.fn) / count(*) OVER () AS fn_tf,
            count(*) OVER (PARTITION BY l.ln) / count(*) OVER () AS ln_tf,
            h.{ADDRESSES}
        FROM latest l JOIN history h ON h.tin_n = l.tin_n ORDER BY pos""")
    con.execute(f"""CREATE OR REPLACE TABLE {KEY_TABLE} AS
        WITH keyed AS (
            SELECT DISTINCT t.pos, s.fn, s.ln_tokens, s.dob, s.house, s.zip5
            FROM {_STAGE_ROW} s JOIN {TAXPAYER_TABLE} t ON t.tin_n = s.tin_n),
        distinct_keys AS (SELECT owner AS pos, key_hash FROM ({keys_sql("keyed", "pos")})),
        kept AS (SELECT key_hash FROM distinct_keys GROUP BY key_hash HAVING count(*) <= {KEY_CAP})
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
        (SELECT count(*) FROM {KEY_TABLE}) AS keys""")
