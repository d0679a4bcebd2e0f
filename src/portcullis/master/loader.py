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
from portcullis.contract.tabular import ROW_COLUMN, read_header
from portcullis.errors import ColumnsMissing, FileUnreadable
from portcullis.master.loads import (
    LoadCounts,
    identify_file,
    record_load,
    refuse_if_changed,
    unchanged_load,
)
from portcullis.master.rejects import (
    ERRORS,
    NORMALISED,
    REJECTING,
    TOO_LONG,
    list_errors,
    ordinal_sql,
    too_long_sql,
)
from portcullis.master.rejects import WORK_TABLES as REJECT_TABLES
from portcullis.master.schema import REJECTS_TABLE, create_master_tables
from portcullis.master.stages import StageTimes
from portcullis.master.staging import STAGED, drop_staged, stage_file
from portcullis.master.writing import WORK_TABLES as WRITE_TABLES
from portcullis.master.writing import WORK_VIEWS, keep_rows, write_kept

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
# The engine keeps a load's working tables within this much memory and spills the rest to disk,
# so that a national master loads on a machine that also serves requests (peak RSS under 4 GiB).
LOAD_MEMORY_LIMIT = "2.5GB"

# Called with (file, units done, units in all): 0 of 1 when a file starts, 1 of 1 when it is in.
LoadProgress = Callable[[Path, int, int], None]


@dataclass(slots=True)
class LoadReport:
    """What one load did: rows read, kept and rejected (with a sample of reasons), and its time."""

    files: list[str] = field(default_factory=list)
    # Files loaded completely before and not written over since: read again, they change nothing.
    files_unchanged: list[str] = field(default_factory=list)
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
    # False when the store was left as the match index was built from it, so it was kept.
    index_rebuilt: bool = True


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
        for view in WORK_VIEWS:
            con.execute(f"DROP VIEW IF EXISTS {view}")
        for table in (NORMALISED, *REJECT_TABLES, *WRITE_TABLES):
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
    stages = report.stages
    with stages.stage("recognise a loaded file"):
        identity = identify_file(path)
        unchanged = unchanged_load(con, path, identity)
    if unchanged is not None:
        _report_unchanged(con, path, unchanged, report)
    else:
        before = _counts(report)
        written = _read_and_write(con, path, loaded_at, report)
        refuse_if_changed(path, identity)
        after = _counts(report)
        counts = LoadCounts(*(now - then for now, then in zip(after, before, strict=True)))
        record_load(con, path, identity, counts, written, loaded_at)
    if progress is not None:
        progress(path, 1, 1)


def _counts(report: LoadReport) -> tuple[int, int, int, int]:
    return (
        report.rows_read,
        report.rows_loaded,
        report.rows_rejected,
        report.rows_with_ignored_fields,
    )


def _report_unchanged(
    con: duckdb.DuckDBPyConnection, path: Path, counts: LoadCounts, report: LoadReport
) -> None:
    """Report a file skipped as unchanged with its last load's counts and stored rejects."""
    report.files_unchanged.append(str(path))
    report.rows_read += counts.rows_read
    report.rows_loaded += counts.rows_loaded
    report.rows_rejected += counts.rows_rejected
    report.rows_with_ignored_fields += counts.rows_with_ignored_fields
    _sample_rejects(con, path, report)


def _read_and_write(
    con: duckdb.DuckDBPyConnection, path: Path, loaded_at: dt.datetime, report: LoadReport
) -> int:
    """Read one file, list its rejects and write its kept rows; return how many were written."""
    stages = report.stages
    with stages.stage("read, validate and normalise"):
        staged = stage_file(con, path, MASTER_COLUMNS)
        source = f"(SELECT *, {too_long_sql(MASTER_COLUMNS)} AS {TOO_LONG} FROM {STAGED})"
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {NORMALISED} AS "
                + normalise_select_sql(MASTER_SPECS, source, ROW_COLUMN, (TOO_LONG,))
            )
        except duckdb.Error as exc:
            raise FileUnreadable(f"{path.name}: cannot be read as {staged.fmt}: {exc}") from exc
        garbled = staged.garbled(con)
        drop_staged(con)
    readable = con.execute(f"SELECT count(*) FROM {NORMALISED}").fetchone()
    report.rows_read += len(garbled) + (int(readable[0]) if readable else 0)
    ordinal = ordinal_sql(con)
    with stages.stage("reject listing"):
        rejected, ignored = list_errors(con, garbled, ordinal)
        _report_errors(con, path, loaded_at, rejected, ignored, report)
    with stages.stage("keep the last row per key"):
        kept = keep_rows(con, ordinal, rejected > len(garbled))
    report.rows_loaded += kept
    written = write_kept(con, path, loaded_at, kept, stages)
    report.rows_written += written
    return written


def _report_errors(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    loaded_at: dt.datetime,
    rejected: int,
    ignored: int,
    report: LoadReport,
) -> None:
    """Store the rejected rows' errors, replacing the file's earlier ones; sample both kinds."""
    rejecting = ", ".join(f"'{name}'" for name in sorted(REJECTING))
    rejected_rows = f"(SELECT DISTINCT row_number FROM {ERRORS} WHERE field IN ({rejecting}))"
    # A re-load of the same file replaces that file's earlier rejects rather than adding to them.
    con.execute(f"DELETE FROM {REJECTS_TABLE} WHERE source_file = ?", [str(path)])
    con.execute(
        f"""
        INSERT INTO {REJECTS_TABLE}
        SELECT ?, e.row_number, e.field, e.code, coalesce(e.message, m.message), ?
        FROM {ERRORS} e SEMI JOIN {rejected_rows} r USING (row_number)
        LEFT JOIN (SELECT unnest(?) AS code, unnest(?) AS message) m USING (code)
        ORDER BY e.row_number, e.field
        """,
        [str(path), loaded_at, list(ERROR_MESSAGES), list(ERROR_MESSAGES.values())],
    )
    report.rows_rejected += rejected
    report.rows_with_ignored_fields += ignored
    _sample_rejects(con, path, report)
    room = max(REJECT_SAMPLE - len(report.ignored), 0)
    report.ignored += _sample(
        con,
        f"SELECT row_number, field, code, message FROM {ERRORS} "
        f"ANTI JOIN {rejected_rows} r USING (row_number) ORDER BY row_number, field LIMIT ?",
        [room],
    )


def _sample_rejects(con: duckdb.DuckDBPyConnection, path: Path, report: LoadReport) -> None:
    room = max(REJECT_SAMPLE - len(report.rejects), 0)
    report.rejects += _sample(
        con,
        f"SELECT row_number, field, code, message FROM {REJECTS_TABLE} WHERE source_file = ? "
        "ORDER BY row_number, field LIMIT ?",
        [str(path), room],
    )


def _sample(
    con: duckdb.DuckDBPyConnection, query: str, parameters: list[object]
) -> list[FieldError]:
    return [
        FieldError(int(row), str(name), str(code), str(message or ERROR_MESSAGES[str(code)]))
        for row, name, code, message in con.execute(query, parameters).fetchall()
    ]
