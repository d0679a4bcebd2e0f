"""Write a file's kept rows into the keyed master table: only new or changed (tin, tax_year).

Set-wise, in a few statements: the rows kept are the file's readable rows less the rejected ones
and less every earlier row of a (tin, tax_year) the file repeats; those whose key is not stored,
or whose values differ from the stored ones, are found by one join on the key and a digest of
the values, then updated or inserted. Loading the same file again writes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.master.rejects import NORMALISED, REJECTED
from portcullis.master.schema import MASTER_TABLE
from portcullis.master.stages import StageTimes

_KEY = ("tin", "tax_year")
_VALUES = tuple(name for name in MASTER_COLUMNS if name not in _KEY)
_KEPT = "master_kept"
_CHANGES = "master_changes"
WORK_TABLES = ("master_superseded", _CHANGES)
WORK_VIEWS = ("master_readable", _KEPT)


def keep_rows(con: duckdb.DuckDBPyConnection, ordinal: str, rejected: bool) -> int:
    """Make the view of the rows to keep (the last of each key, none rejected); count them."""
    columns = ", ".join(MASTER_COLUMNS)
    unrejected = f"WHERE {ordinal} NOT IN (SELECT ordinal FROM {REJECTED})" if rejected else ""
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW master_readable AS "
        f"SELECT {ordinal} AS ordinal, {columns} FROM {NORMALISED} {unrejected}"
    )
    # Grouping by one 64-bit digest of the key is the cheaper test; a clash only sends the load
    # down the exact road below, which finds no repeated key then.
    repeated = con.execute(
        "SELECT count(*) FROM (SELECT hash(tin, tax_year) AS key FROM master_readable "
        "GROUP BY key HAVING count(*) > 1)"
    ).fetchone()
    if repeated is not None and repeated[0]:
        # Within one file the later row for a (tin, tax_year) wins, as a later file would.
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE master_superseded AS
            SELECT ordinal FROM master_readable SEMI JOIN (
                SELECT tin, tax_year FROM master_readable GROUP BY tin, tax_year
                HAVING count(*) > 1) USING (tin, tax_year)
            QUALIFY row_number() OVER (PARTITION BY tin, tax_year ORDER BY ordinal DESC) > 1
            """
        )
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {_KEPT} AS SELECT {columns} FROM master_readable "
            "WHERE ordinal NOT IN (SELECT ordinal FROM master_superseded)"
        )
    else:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {_KEPT} AS SELECT {columns} FROM master_readable")
    kept = con.execute(f"SELECT count(*) FROM {_KEPT}").fetchone()
    return int(kept[0]) if kept else 0


def write_kept(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    loaded_at: dt.datetime,
    kept: int,
    stages: StageTimes,
) -> int:
    """Insert or update the kept rows that are new or changed; return how many were written."""
    columns = ", ".join(MASTER_COLUMNS)
    stored = con.execute(f"SELECT count(*) FROM {MASTER_TABLE}").fetchone()
    if stored is None or stored[0] == 0:
        with stages.stage("keyed write"):
            con.execute(
                f"INSERT INTO {MASTER_TABLE} SELECT {columns}, ?, ? FROM {_KEPT}",
                [str(path), loaded_at],
            )
        return kept
    digest = f"hash({', '.join(_VALUES)})"
    with stages.stage("find new or changed"):
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE {_CHANGES} AS
            SELECT k.* EXCLUDE (digest), m.tin IS NOT NULL AS stored
            FROM (SELECT *, {digest} AS digest FROM {_KEPT}) k
            LEFT JOIN (SELECT tin, tax_year, {digest} AS digest FROM {MASTER_TABLE}) m
                USING (tin, tax_year)
            WHERE m.tin IS NULL OR k.digest <> m.digest
            """
        )
    with stages.stage("keyed write"):
        assignments = ", ".join(f"{name} = c.{name}" for name in _VALUES)
        con.execute(
            f"""
            UPDATE {MASTER_TABLE} SET {assignments}, source_file = ?, loaded_at = ?
            FROM (SELECT * FROM {_CHANGES} WHERE stored) c
            WHERE {MASTER_TABLE}.tin = c.tin AND {MASTER_TABLE}.tax_year = c.tax_year
            """,
            [str(path), loaded_at],
        )
        con.execute(
            f"INSERT INTO {MASTER_TABLE} SELECT {columns}, ?, ? FROM {_CHANGES} WHERE NOT stored",
            [str(path), loaded_at],
        )
    written = con.execute(f"SELECT count(*) FROM {_CHANGES}").fetchone()
    return int(written[0]) if written else 0
