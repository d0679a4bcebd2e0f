"""Load taxpayer master files into DuckDB: stream, normalise, reject bad rows, upsert the rest."""

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
from portcullis.contract.tabular import (
    ROW_COLUMN,
    WHOLE_ROW,
    detect_format,
    iter_batches,
    read_header,
)
from portcullis.errors import ColumnsMissing, FileUnreadable
from portcullis.master.schema import MASTER_TABLE, REJECTS_TABLE, create_master_tables

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

# Called with (file, units done, units in all): bytes for text files, row groups for Parquet.
LoadProgress = Callable[[Path, int, int], None]


@dataclass(slots=True)
class LoadReport:
    """What one load did: rows read, kept and rejected (with a sample of reasons), and its time."""

    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rejects: list[FieldError] = field(default_factory=list)
    # Rows kept although an optional field could not be read (that field is stored as not given).
    rows_with_ignored_fields: int = 0
    ignored: list[FieldError] = field(default_factory=list)
    seconds: float = 0.0


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
    con.begin()
    try:
        for path in paths:
            _load_file(con, path, loaded_at, report, progress)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        con.execute("DROP TABLE IF EXISTS master_incoming_norm")
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
    total = path.stat().st_size if detect_format(path) != "parquet" else _row_groups(path)

    def step(done: int) -> None:
        if progress is not None:
            progress(path, done, total)

    report.files.append(str(path))
    for batch in iter_batches(path, list(MASTER_COLUMNS), progress=step):
        report.rows_read += batch.table.num_rows + len(batch.errors)
        con.register("master_incoming", batch.table)
        try:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE master_incoming_norm AS "
                + normalise_select_sql(MASTER_SPECS, "master_incoming", ROW_COLUMN)
            )
        finally:
            con.unregister("master_incoming")
        _record_rejects(con, path, loaded_at, batch.errors, report)
        report.rows_loaded += _upsert_good_rows(con, path, loaded_at)


def _record_rejects(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    loaded_at: dt.datetime,
    structural: list[FieldError],
    report: LoadReport,
) -> None:
    found = con.execute(
        f"""
        SELECT {ROW_COLUMN}, substr(field, 5) AS field, code
        FROM (UNPIVOT master_incoming_norm ON COLUMNS('^err_') INTO NAME field VALUE code)
        ORDER BY {ROW_COLUMN}, field
        """
    ).fetchall()
    errors = [
        FieldError(int(row), str(name), str(code), ERROR_MESSAGES[str(code)])
        for row, name, code in found
    ]
    errors += structural
    rejected_rows = {e.row for e in errors if e.field in _REJECTING}
    ignored = [e for e in errors if e.row not in rejected_rows]
    errors = [e for e in errors if e.row in rejected_rows]
    report.rows_with_ignored_fields += len({e.row for e in ignored})
    report.ignored.extend(ignored[: max(REJECT_SAMPLE - len(report.ignored), 0)])
    if not errors:
        return
    con.executemany(
        f"INSERT INTO {REJECTS_TABLE} VALUES (?, ?, ?, ?, ?, ?)",
        [(str(path), e.row, e.field, e.code, e.message, loaded_at) for e in errors],
    )
    report.rows_rejected += len({e.row for e in errors})
    room = REJECT_SAMPLE - len(report.rejects)
    report.rejects.extend(errors[: max(room, 0)])


def _upsert_good_rows(con: duckdb.DuckDBPyConnection, path: Path, loaded_at: dt.datetime) -> int:
    columns = ", ".join(MASTER_COLUMNS)
    # A row is kept when every required field reads; an unreadable optional one is stored as NULL.
    clean = " AND ".join(f"err_{spec.name} IS NULL" for spec in MASTER_SPECS if spec.required)
    # Within one batch the later row for a (tin, tax_year) wins, as a later file would.
    result = con.execute(
        f"""
        INSERT OR REPLACE INTO {MASTER_TABLE}
        SELECT {columns}, ? AS source_file, ? AS loaded_at
        FROM master_incoming_norm
        WHERE {clean}
        QUALIFY row_number() OVER (PARTITION BY tin, tax_year ORDER BY {ROW_COLUMN} DESC) = 1
        """,
        [str(path), loaded_at],
    ).fetchone()
    return int(result[0]) if result else 0


def _row_groups(path: Path) -> int:
    import pyarrow.parquet as pq

    try:
        return int(pq.ParquetFile(path).num_row_groups)
    except (OSError, ValueError) as exc:
        raise FileUnreadable(f"{path.name}: cannot be read as parquet: {exc}") from exc
