"""Quote-laden names in a master file are data: stored exactly, in every format."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.master.loader import load_master
from portcullis.master.schema import MASTER_TABLE, REJECTS_TABLE
from tests.master.test_field_rules import record, write
from tests.test_sql_injection import HOSTILE

NAME_FIELDS = ("first_name", "middle_name", "last_name")


def _write(path: Path, records: list[dict[str, str]]) -> Path:
    if path.suffix != ".csv":
        return write(path, records)
    with path.open("w", newline="", encoding="utf-8") as handle:  # quotes escaped as CSV does
        writer = csv.DictWriter(handle, fieldnames=list(MASTER_COLUMNS))
        writer.writeheader()
        writer.writerows(records)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_quote_laden_names_in_a_master_file_are_stored_exactly(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, suffix: str
) -> None:
    records = [
        record(tin=f"{n:03d}223333", **dict.fromkeys(NAME_FIELDS, value))
        for n, value in enumerate(HOSTILE, start=101)
    ]
    report = load_master(con, [_write(tmp_path / f"m{suffix}", records)])
    every = len(HOSTILE)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (every, every, 0)
    stored = con.execute(
        f"SELECT first_name, middle_name, last_name FROM {MASTER_TABLE} ORDER BY tin"
    ).fetchall()
    assert stored == [(value, value, value) for value in HOSTILE]
    tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert {MASTER_TABLE, REJECTS_TABLE} <= tables
