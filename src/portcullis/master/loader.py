"""Load taxpayer master files into DuckDB: parse, normalise and reject in SQL, upsert the rest."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from portcullis.contract.columns import MASTER_COLUMNS, MASTER_REQUIRED
from portcullis.contract.normalize import ERROR_MESSAGES, FieldSpec, Kind, normalise_select_sql
from portcullis.contract.records import FieldError
from portcullis.contract.tabular import ROW_COLUMN, WHOLE_ROW, read_header
from portcullis.errors import ColumnsMissing
from portcullis.master.schema import MASTER_TABLE, REJECTS_TABLE, create_master_tables
from portcullis.master.stages import StageTimes
from portcullis.master.staging import STAGED, drop_staged, stage_file

_KINDS: dict[str, Kind] = {
    "tin": "tin",
    "date_of_birth": "date",
    "state": "state",
    "zip": "zip",
    "tax_year": "year",
}
MASTER_SPECS: tuple[FieldSpec, ...] = tuple(
    FieldSpec(name, _KINDS.get(name, "text"), required=name in MASTER_REQUIRED)
    for name in MASTER_COLUMNS
)
REJECT_SAMPLE = 20
_KEY = ("tin", "tax_year")
# The engine keeps a load's working tables within this much memory and spills the rest to disk,
# so that a national master loads on a machine that also serves requests (peak RSS under 4 GiB).
LOAD_MEMORY_LIMIT = "2.5GB"
_WORK_TABLES = ("master_incoming_norm", "master_errors", "master_rejected_rows", "master_good")

# Called with (file, units done, units in all): 0 of 1 when a file starts, 1 of 1 when it is in.
LoadProgress = Callable[[Path, int, int], None]


@dataclass(slots=True)
class LoadReport:
    """What one load did: rows read, kept and rejected (with a sample of reasons), and its time."""

    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_loaded: int = 0  # rows kept (the last of each taxpayer and year)
    rows_written: int = 0  # of those, the new or changed ones; a repeated load writes none
    rows_rejected: int = 0
    rejects: list[FieldError] = field(default_factory=list)
    # Rows kept although an optional field could not be read (that field is stored as not given).
    rows_with_ignored_fields: int = 0
    ignored: list[FieldError] = field(default_factory=list)
    seconds: float = 0.0
    stages: StageTimes = field(default_factory=StageTimes)


# A row is rejected for an error in one of these "fields" (a required column, or the row itself).
_REJECTING = frozenset({*MASTER_REQUIRED, WHOLE_ROW})


def load_master(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    *,
    progress: LoadProgress | None = None,
) -> LoadReport:
    """Load every file in one transaction: either all good rows land, or nothing does."""
    started = time.perf_counter()
    for path in paths:
        _check_columns(path)
    create_master_tables(con)
    report = LoadReport()
    loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    setting = con.execute("SELECT current_setting('memory_limit')").fetchone()
    con.execute(f"SET memory_limit = '{LOAD_MEMORY_LIMIT}'")
    con.begin()
    try:
        for path in paths:
            _load_file(con, path, loaded_at, report, progress)
        with report.stages.stage("commit"):
            con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        drop_staged(con)
        for table in _WORK_TABLES:
            con.execute(f"DROP TABLE IF EXISTS {table}")
        if setting is not None:
            con.execute(f"SET memory_limit = '{setting[0]}'")
    report.seconds = time.perf_counter() - started
    return report


def _check_columns(path: Path) -> None:
    header = read_header(path)
    missing = [name for name in MASTER_REQUIRED if name not in header]
    if missing:
        raise ColumnsMissing(f"{path.name}: missing required columns: {', '.join(missing)}")


def _load_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    loaded_at: dt.datetime,
    report: LoadReport,
    progress: LoadProgress | None,
) -> None:
    report.files.append(str(path))
    if progress is not None:
        progress(path, 0, 1)
    with report.stages.stage("read and validate"):
        structural = stage_file(con, path, MASTER_COLUMNS)
    with report.stages.stage("normalise"):
        con.execute(
            "CREATE OR REPLACE TEMP TABLE master_incoming_norm AS "
            + normalise_select_sql(MASTER_SPECS, STAGED, ROW_COLUMN)
        )
        drop_staged(con)
    report.rows_read += len(structural)
    with report.stages.stage("reject listing"):
        _record_errors(con, path, loaded_at, structural, report)
    _upsert_good_rows(con, path, loaded_at, report)
    if progress is not None:
        progress(path, 1, 1)


def _record_errors(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    loaded_at: dt.datetime,
    structural: list[FieldError],
    report: LoadReport,
) -> None:
    """Name every unreadable field by row; reject the rows whose identity or address fails."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE master_errors AS
        SELECT {ROW_COLUMN} AS row_number, substr(field, 5) AS field, code, NULL::VARCHAR AS message
        FROM (UNPIVOT master_incoming_norm ON COLUMNS('^err_') INTO NAME field VALUE code)
        """
    )
    if structural:
        con.executemany(
            "INSERT INTO master_errors VALUES (?, ?, ?, ?)",
            [(e.row, e.field, e.code, e.message) for e in structural],
        )
    rejecting = ", ".join(f"'{name}'" for name in sorted(_REJECTING))
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE master_rejected_rows AS
        SELECT DISTINCT row_number FROM master_errors WHERE field IN ({rejecting})
        """
    )
    # A re-load of the same file replaces that file's earlier rejects rather than adding to them.
    con.execute(f"DELETE FROM {REJECTS_TABLE} WHERE source_file = ?", [str(path)])
    con.execute(
        f"""
        INSERT INTO {REJECTS_TABLE}
        SELECT ?, e.row_number, e.field, e.code, coalesce(e.message, m.message), ?
        FROM master_errors e SEMI JOIN master_rejected_rows USING (row_number)
        LEFT JOIN (SELECT unnest(?) AS code, unnest(?) AS message) m USING (code)
        ORDER BY e.row_number, e.field
        """,
        [str(path), loaded_at, list(ERROR_MESSAGES), list(ERROR_MESSAGES.values())],
    )
    counts = con.execute(
        """
        SELECT (SELECT count(*) FROM master_rejected_rows),
               (SELECT count(DISTINCT row_number) FROM master_errors
                ANTI JOIN master_rejected_rows USING (row_number))
        """
    ).fetchone()
    assert counts is not None
    report.rows_rejected += int(counts[0])
    report.rows_with_ignored_fields += int(counts[1])
    room = max(REJECT_SAMPLE - len(report.rejects), 0)
    report.rejects += _sample(
        con,
        f"SELECT row_number, field, code, message FROM {REJECTS_TABLE} WHERE source_file = ? "
        "ORDER BY row_number, field LIMIT ?",
        [str(path), room],
    )
    room = max(REJECT_SAMPLE - len(report.ignored), 0)
    report.ignored += _sample(
        con,
        "SELECT row_number, field, code, message FROM master_errors "
        "ANTI JOIN master_rejected_rows USING (row_number) ORDER BY row_number, field LIMIT ?",
        [room],
    )


def _sample(
    con: duckdb.DuckDBPyConnection, query: str, parameters: list[object]
) -> list[FieldError]:
    return [
        FieldError(int(row), str(name), str(code), str(message or ERROR_MESSAGES[str(code)]))
        for row, name, code, message in con.execute(query, parameters).fetchall()
    ]


def _upsert_good_rows(
    con: duckdb.DuckDBPyConnection, path: Path, loaded_at: dt.datetime, report: LoadReport
) -> None:
    columns = ", ".join(MASTER_COLUMNS)
    # Within one file the later row for a (tin, tax_year) wins, as a later file would.
    with report.stages.stage("keep the last row per key"):
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE master_good AS
            SELECT {columns} FROM master_incoming_norm
            ANTI JOIN master_rejected_rows ON {ROW_COLUMN} = master_rejected_rows.row_number
            QUALIFY row_number() OVER (PARTITION BY tin, tax_year ORDER BY {ROW_COLUMN} DESC) = 1
            """
        )
        kept = con.execute("SELECT count(*) FROM master_good").fetchone()
        readable = con.execute("SELECT count(*) FROM master_incoming_norm").fetchone()
    report.rows_read += int(readable[0]) if readable else 0
    # Only a new or changed (tin, tax_year) is written: loading the same file again changes nothing.
    changed = " OR ".join(
        f"g.{name} IS DISTINCT FROM m.{name}" for name in MASTER_COLUMNS if name not in _KEY
    )
    with report.stages.stage("keyed write"):
        result = con.execute(
            f"""
            INSERT OR REPLACE INTO {MASTER_TABLE}
            SELECT g.*, ? AS source_file, ? AS loaded_at
            FROM master_good g LEFT JOIN {MASTER_TABLE} m USING (tin, tax_year)
            WHERE m.tin IS NULL OR {changed}
            """,
            [str(path), loaded_at],
        ).fetchone()
    report.rows_loaded += int(kept[0]) if kept else 0
    report.rows_written += int(result[0]) if result else 0
