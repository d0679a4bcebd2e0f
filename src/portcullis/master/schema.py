"""The master store's tables in DuckDB."""

from __future__ import annotations

import duckdb

MASTER_TABLE = "master_address"
REJECTS_TABLE = "master_rejects"
LOADS_TABLE = "master_loads"

_CREATE_MASTER = f"""
CREATE TABLE IF NOT EXISTS {MASTER_TABLE} (
    tin VARCHAR NOT NULL,
    first_name VARCHAR NOT NULL,
    middle_name VARCHAR,
    last_name VARCHAR NOT NULL,
    name_suffix VARCHAR,
    date_of_birth DATE,
    street VARCHAR NOT NULL,
    unit VARCHAR,
    city VARCHAR NOT NULL,
    state VARCHAR NOT NULL,
    zip VARCHAR NOT NULL,
    tax_year INTEGER NOT NULL,
    source_file VARCHAR,
    loaded_at TIMESTAMP,
    PRIMARY KEY (tin, tax_year)
)
"""

_CREATE_REJECTS = f"""
CREATE TABLE IF NOT EXISTS {REJECTS_TABLE} (
    source_file VARCHAR NOT NULL,
    row_number BIGINT NOT NULL,
    field VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    message VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL
)
"""

# One row per file path: its last complete load (see master/loads.py).
_CREATE_LOADS = f"""
CREATE TABLE IF NOT EXISTS {LOADS_TABLE} (
    source_file VARCHAR NOT NULL,
    size BIGINT NOT NULL,
    digest VARCHAR NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    rows_with_ignored_fields BIGINT NOT NULL,
    store_version BIGINT NOT NULL,
    loaded_at TIMESTAMP NOT NULL
)
"""


def create_master_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the master, rejected-row and loaded-file tables if they do not exist."""
    con.execute(_CREATE_MASTER)
    con.execute(_CREATE_REJECTS)
    con.execute(_CREATE_LOADS)
