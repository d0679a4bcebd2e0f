"""A file loaded completely is not read again while the store is as that load left it."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.contract.tabular import FIELD_LIMIT
from portcullis.errors import FileUnreadable
from portcullis.master.loader import LoadReport, load_master
from portcullis.master.loads import identify_file, refuse_if_changed
from tests.master.files import write_lines

ROWS = (
    "111223333,Bo,,Ng,,1990-02-01,2 C St,N/A,Z,NY,10001,2024",
    "222334444,Al,,Wu,,,3 D St,,Z,NY,10001,2024",
    "12345,Cy,,Oh,,,1 B St,,Y,CA,90210,2024",
)
READ = "read, validate and normalise"


def stored(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute(
        f"SELECT {', '.join(MASTER_COLUMNS)}, source_file FROM master_address ORDER BY tin"
    ).fetchall()


def counts(report: LoadReport) -> tuple[int, int, int, int, int]:
    return (
        report.rows_read,
        report.rows_loaded,
        report.rows_written,
        report.rows_rejected,
        report.rows_with_ignored_fields,
    )


def test_the_same_file_again_is_not_read_and_reports_its_last_load(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = write_lines(tmp_path / "m.csv", *ROWS)
    first = load_master(con, [path])
    before = stored(con)
    again = load_master(con, [path])
    assert again.files_unchanged == [str(path)]
    assert READ not in again.stages.wall
    assert counts(again) == (3, 2, 0, 1, 1) and counts(first) == (3, 2, 2, 1, 1)
    assert again.rejects == first.rejects
    assert stored(con) == before


def test_a_file_changed_by_one_byte_is_loaded(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = write_lines(tmp_path / "m.csv", *ROWS)
    load_master(con, [path])
    changed = path.read_bytes().replace(b"2 C St", b"4 C St")
    path.write_bytes(changed)  # the same size, one byte apart
    report = load_master(con, [path])
    assert report.files_unchanged == []
    assert report.rows_written == 1
    assert stored(con)[0][6] == "4 C St"


def test_a_file_is_read_again_once_a_later_load_wrote_over_it(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    first = write_lines(tmp_path / "first.csv", *ROWS)
    later = write_lines(tmp_path / "later.csv", ROWS[0].replace("2 C St", "9 Elm St"))
    load_master(con, [first])
    load_master(con, [later])
    report = load_master(con, [first])
    assert report.files_unchanged == []
    assert report.rows_written == 1
    assert stored(con)[0][6] == "2 C St"  # the file loaded last wins, as it always did
    # Nothing was written since: now it is recognised, and so would the later file not be.
    assert load_master(con, [first]).files_unchanged == [str(first)]
    assert load_master(con, [later]).files_unchanged == []


def test_a_load_that_wrote_nothing_keeps_earlier_files_recognised(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    first = write_lines(tmp_path / "first.csv", *ROWS)
    copy = write_lines(tmp_path / "copy.csv", *ROWS)
    load_master(con, [first])
    report = load_master(con, [copy])  # the same rows under another name: read, nothing new
    assert (report.files_unchanged, report.rows_written) == ([], 0)
    assert load_master(con, [first, copy]).files_unchanged == [str(first), str(copy)]


def test_a_file_named_twice_in_one_load_is_read_once(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = write_lines(tmp_path / "m.csv", *ROWS)
    report = load_master(con, [path, path])
    assert report.files_unchanged == [str(path)]
    assert report.rows_written == 2


def test_a_failed_load_records_no_file(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    good = write_lines(tmp_path / "good.csv", *ROWS)
    broken = write_lines(tmp_path / "broken.csv", ROWS[1])
    too_long = len(MASTER_COLUMNS) * (FIELD_LIMIT * 4 + 4) + 3
    broken.write_bytes(broken.read_bytes() + b'"' + b"x" * too_long + b'",,\n')
    with pytest.raises(FileUnreadable):
        load_master(con, [good, broken])
    report = load_master(con, [good])
    assert (report.files_unchanged, report.rows_written) == ([], 2)


def test_a_file_written_while_it_is_read_is_refused(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "m.csv", *ROWS)
    identity = identify_file(path)
    refuse_if_changed(path, identity)
    os.utime(path, ns=(identity.modified_ns + 1_000_000, identity.modified_ns + 1_000_000))
    with pytest.raises(FileUnreadable, match=r"m\.csv: the file changed while it was being loaded"):
        refuse_if_changed(path, identity)
