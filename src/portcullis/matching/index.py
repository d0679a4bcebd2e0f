"""The persistent match index: normalised taxpayers, their addresses, blocking keys, frequencies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
import pyarrow as pa

from portcullis.master.schema import MASTER_TABLE
from portcullis.matching.address import standardise_address
from portcullis.matching.keys import KEY_CAP, keys_sql
from portcullis.matching.profile import build_profile
from portcullis.matching.rows import identity_values
from portcullis.matching.tables import (
    ADDRESS_FIELDS,
    ADDRESS_NORM_SCHEMA,
    ADDRESS_TABLE,
    GIVEN_FREQ_TABLE,
    IDENTITY_FIELDS,
    IDENTITY_NORM_SCHEMA,
    KEY_TABLE,
    META_TABLE,
    RAW_ADDRESS,
    RAW_IDENTITY,
    TAXPAYER_TABLE,
)

_BATCH_ROWS = 100_000
_STAGE_IDENTITY = "match_stage_identity"
_STAGE_ADDRESS = "match_stage_address"
_STAGE_ROW = "match_stage_row"
_IDENTITY = ", ".join(f.name for f in IDENTITY_FIELDS)
# The address as filed travels with the index, so a release never needs a second lookup.
_ADDRESS_COLUMNS = ", ".join(
    [f"s.{f.name}" for f in ADDRESS_FIELDS] + [f"s.raw_{name}" for name in RAW_ADDRESS]
)
_RAW_KEEP = ", ".join(f"m.{name} AS raw_{name}" for name in RAW_ADDRESS)
_RAW_NAMES = ", ".join(f"raw_{name}" for name in RAW_ADDRESS)


def build_index(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild every `match_` table from the master (idempotent; call after each master load)."""
    # Names and addresses repeat across tax years and households: normalise each distinct value
    # once in Python, then let SQL join them back to the rows and derive everything else.
    _normalise_distinct(con, RAW_IDENTITY, _STAGE_IDENTITY, IDENTITY_NORM_SCHEMA, _identity_row)
    _normalise_distinct(con, RAW_ADDRESS, _STAGE_ADDRESS, ADDRESS_NORM_SCHEMA, _address_row)
    con.execute("BEGIN TRANSACTION")
    try:
        _publish(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    for table in (_STAGE_IDENTITY, _STAGE_ADDRESS, _STAGE_ROW):
        con.execute(f"DROP TABLE IF EXISTS {table}")


def _identity_row(raw: dict[str, Any]) -> list[Any]:
    profile = build_profile(
        first_name=raw["first_name"],
        middle_name=raw["middle_name"],
        last_name=raw["last_name"],
        name_suffix=raw["name_suffix"],
        date_of_birth=raw["date_of_birth"],
        tin=None,
        street=None,
        unit=None,
        city=None,
        state=None,
        zip_code=None,
    )
    return [raw[name] for name in RAW_IDENTITY] + identity_values(profile)[:-1]


def _address_row(raw: dict[str, Any]) -> list[Any]:
    address = standardise_address(raw["street"], raw["unit"], raw["city"], raw["state"], raw["zip"])
    values = [address.house, address.street_name, address.unit, address.city]
    return [raw[name] for name in RAW_ADDRESS] + [*values, address.state, address.zip5]


def _normalise_distinct(
    con: duckdb.DuckDBPyConnection,
    columns: tuple[str, ...],
    target: str,
    schema: pa.Schema,
    normalise: Callable[[dict[str, Any]], list[Any]],
) -> None:
    con.execute(f"CREATE OR REPLACE TABLE {target} AS {_empty(schema)}")
    reader = con.sql(f"SELECT DISTINCT {', '.join(columns)} FROM {MASTER_TABLE}").to_arrow_reader(
        _BATCH_ROWS
    )
    writer = con.cursor()
    try:
        for batch in reader:
            rows = [normalise(raw) for raw in batch.to_pylist()]
            table = pa.Table.from_arrays(
                [
                    pa.array(list(c), type=f.type)
                    for c, f in zip(zip(*rows, strict=True), schema, strict=True)
                ]
                if rows
                else [pa.array([], type=f.type) for f in schema],
                schema=schema,
            )
            writer.register("match_norm_in", table)
            writer.execute(f"INSERT INTO {target} SELECT * FROM match_norm_in")
            writer.unregister("match_norm_in")
    finally:
        writer.close()


def _same(columns: tuple[str, ...], left: str, right: str, prefix: str = "") -> str:
    return " AND ".join(f"{left}.{c} IS NOT DISTINCT FROM {right}.{prefix}{c}" for c in columns)


def _publish(con: duckdb.DuckDBPyConnection) -> None:
    identity = ", ".join(f"i.{f.name}" for f in IDENTITY_FIELDS if f.name != "dob")
    address = ", ".join(f"a.{f.name}" for f in ADDRESS_FIELDS)
    con.execute(f"""CREATE OR REPLACE TABLE {_STAGE_ROW} AS
        SELECT m.tin, m.tin::BIGINT AS tin_n, m.tax_year, {identity},
            m.date_of_birth AS dob, {address}, {_RAW_KEEP}
        FROM {MASTER_TABLE} m
        JOIN {_STAGE_IDENTITY} i ON {_same(RAW_IDENTITY, "m", "i")}
        JOIN {_STAGE_ADDRESS} a ON {_same(RAW_ADDRESS, "m", "a", "raw_")}""")
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


def _empty(schema: pa.Schema) -> str:
    casts = ", ".join(f"NULL::{_duck_type(f.type)} AS {f.name}" for f in schema)
    return f"SELECT {casts} WHERE false"


def _duck_type(arrow_type: pa.DataType) -> str:
    names = {
        pa.string(): "VARCHAR",
        pa.int64(): "BIGINT",
        pa.int32(): "INTEGER",
        pa.date32(): "DATE",
    }
    if pa.types.is_list(arrow_type):
        return "VARCHAR[]"
    return names[arrow_type]
