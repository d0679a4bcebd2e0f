"""The persistent match index: normalised taxpayers, their addresses, blocking keys, frequencies."""

from __future__ import annotations

import duckdb

from portcullis.matching.keys import KEY_CAP, keys_sql
from portcullis.matching.normalise import STAGES, stage_distinct_values, staged_rows_sql
from portcullis.matching.tables import (
    ADDRESS_FIELDS,
    ADDRESS_TABLE,
    GIVEN_FREQ_TABLE,
    IDENTITY_FIELDS,
    KEY_TABLE,
    META_TABLE,
    RAW_ADDRESS,
    TAXPAYER_TABLE,
)

_STAGE_ROW = "match_stage_row"
_IDENTITY = ", ".join(f.name for f in IDENTITY_FIELDS)
# The address as filed travels with the index, so a release never needs a second lookup.
_ADDRESS_COLUMNS = ", ".join(
    [f"s.{f.name}" for f in ADDRESS_FIELDS] + [f"s.raw_{name}" for name in RAW_ADDRESS]
)
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
    for table in (*(stage.table for stage in STAGES), _STAGE_ROW):
        con.execute(f"DROP TABLE IF EXISTS {table}")


def _publish(con: duckdb.DuckDBPyConnection) -> None:
    kept = f"m.tin, m.tin::BIGINT AS tin_n, m.tax_year, m.date_of_birth AS dob, {_RAW_KEEP}"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_STAGE_ROW} AS {staged_rows_sql(kept)}")
    # Each taxpayer gets a position in surname order: the candidates of one query mostly share a
    # surname, so they sit in one or two row groups, and DuckDB's zone maps on `pos` let the
    # on-demand path read only those (no scan of the master, whatever its size).
    con.execute(f"""CREATE OR REPLACE TABLE {TAXPAYER_TABLE} AS
        WITH latest AS (
            SELECT tin, tin_n, {_IDENTITY} FROM {_STAGE_ROW}
            QUALIFY row_number() OVER (PARTITION BY tin_n ORDER BY tax_year DESC) = 1)
        SELECT (row_number() OVER (ORDER BY ln, fn, tin_n) - 1)::BIGINT AS pos, *,
            count(*) OVER (PARTITION BY fn) / count(*) OVER () AS fn_tf,
            count(*) OVER (PARTITION BY ln) / count(*) OVER () AS ln_tf
        FROM latest ORDER BY pos""")
    con.execute(f"""CREATE OR REPLACE TABLE {ADDRESS_TABLE} AS
        SELECT t.pos, s.tax_year, {_ADDRESS_COLUMNS}
        FROM {_STAGE_ROW} s JOIN {TAXPAYER_TABLE} t ON t.tin_n = s.tin_n
        ORDER BY t.pos, s.tax_year""")
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
        (SELECT count(*) FROM {TAXPAYER_TABLE}) AS taxpayers,
        (SELECT count(*) FROM {ADDRESS_TABLE}) AS address_rows,
        (SELECT count(*) FROM {KEY_TABLE}) AS keys""")
