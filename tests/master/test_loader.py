"""Loading the taxpayer master: normalisation, rejected rows by name, re-loads, atomic failure."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.contract.tabular import FIELD_LIMIT
from portcullis.errors import ColumnsMissing, FileUnreadable
from portcullis.master.loader import load_master
from tests.master.files import write_lines as write


def master_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute(
        "SELECT tin, first_name, last_name, date_of_birth, street, state, zip, tax_year "
        "FROM master_address ORDER BY tin, tax_year"
    ).fetchall()


def test_good_rows_are_normalised(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = write(
        tmp_path / "m.csv",
        "123-45-6789, Ana  María ,,García López,,1980-02-29,12 Main St,,Springfield,il,62701,2023",
        "123 45 6789,Ana María,,García López,,1980-02-29,14 Oak Ave,Apt 2,Springfield,IL,"
        "627011234,2024",
    )
    report = load_master(con, [path])
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 2, 0)
    assert master_rows(con) == [
        (
            "123456789",
            "Ana María",
            "García López",
            dt.date(1980, 2, 29),
            "12 Main St",
            "IL",
            "62701",
            2023,
        ),
        (
            "123456789",
            "Ana María",
            "García López",
            dt.date(1980, 2, 29),
            "14 Oak Ave",
            "IL",
            "62701-1234",
            2024,
        ),
    ]


@pytest.mark.parametrize(
    ("line", "field", "code"),
    [
        pytest.param(",Ann,,Lee,,,1 B St,,Y,CA,90210,2024", "tin", "missing", id="missing-tin"),
        pytest.param(
            "12345,Ann,,Lee,,,1 B St,,Y,CA,90210,2024", "tin", "malformed_tin", id="short-tin"
        ),
        pytest.param(
            "123456780,,,Lee,,,1 B St,,Y,CA,90210,2024", "first_name", "missing", id="no-given-name"
        ),
        pytest.param("123456780,Ann,,Lee,,,,,Y,CA,90210,2024", "street", "missing", id="no-street"),
        pytest.param(
            "123456780,Ann,,Lee,,,1 B St,,Y,QQ,90210,2024", "state", "unknown_state", id="bad-state"
        ),
        pytest.param(
            "123456780,Ann,,Lee,,,1 B St,,Y,CA,9021,2024", "zip", "malformed_zip", id="bad-zip"
        ),
        pytest.param(
            "123456780,Ann,,Lee,,,1 B St,,Y,CA,90210,1890",
            "tax_year",
            "malformed_year",
            id="old-year",
        ),
        pytest.param(
            "123456780,Ann,,Lee,,,1 B St,,Y,CA,90210,2024,extra",
            "(row)",
            "unreadable_row",
            id="ragged",
        ),
    ],
)
def test_bad_row_is_rejected_by_row_and_field(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, line: str, field: str, code: str
) -> None:
    path = write(tmp_path / "m.csv", "111223333,Bo,,Ng,,,2 C St,,Z,NY,10001,2024", line)
    report = load_master(con, [path])
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 1, 1)
    assert [(e.row, e.field, e.code) for e in report.rejects] == [(2, field, code)]
    stored = con.execute("SELECT row_number, field, code FROM master_rejects").fetchall()
    assert stored == [(2, field, code)]


@pytest.mark.parametrize("dob", ["1990-02-30", "1971-20-08", "1989-10-|2", "2999-01-01"])
def test_a_row_with_an_unreadable_optional_field_is_kept_without_it(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, dob: str
) -> None:
    line = f"123456780,Ann,,Lee,,{dob},1 B St,,Y,CA,90210,2024"
    path = write(tmp_path / "m.csv", "111223333,Bo,,Ng,,,2 C St,,Z,NY,10001,2024", line)
    report = load_master(con, [path])
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 2, 0)
    assert report.rows_with_ignored_fields == 1
    assert [(e.row, e.field) for e in report.ignored] == [(2, "date_of_birth")]
    stored = con.execute(
        "SELECT date_of_birth FROM master_address WHERE tin = '123456780'"
    ).fetchall()
    assert stored == [(None,)]
    assert con.execute("SELECT count(*) FROM master_rejects").fetchone() == (0,)


def test_a_row_with_a_bad_required_field_lists_every_error_of_the_row(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = write(tmp_path / "m.csv", "12345,Ann,,Lee,,1971-20-08,1 B St,,Y,CA,90210,2024")
    report = load_master(con, [path])
    assert (report.rows_loaded, report.rows_rejected, report.rows_with_ignored_fields) == (0, 1, 0)
    assert {(e.field, e.code) for e in report.rejects} == {
        ("tin", "malformed_tin"),
        ("date_of_birth", "malformed_date"),
    }


def test_reload_replaces_and_adds_without_duplicates(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load_master(con, [write(tmp_path / "a.csv", "111223333,Bo,,Ng,,,2 C St,,Z,NY,10001,2023")])
    load_master(
        con,
        [
            write(
                tmp_path / "b.csv",
                "111223333,Bo,,Ng,,,9 New Rd,,Z,NY,10001,2023",
                "111223333,Bo,,Ng,,,9 New Rd,,Z,NY,10001,2024",
            )
        ],
    )
    rows = con.execute("SELECT street, tax_year FROM master_address ORDER BY tax_year").fetchall()
    assert rows == [("9 New Rd", 2023), ("9 New Rd", 2024)]


def test_later_duplicate_in_one_file_wins(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = write(
        tmp_path / "m.csv",
        "111223333,Bo,,Ng,,,1 Old St,,Z,NY,10001,2024",
        "111223333,Bo,,Ng,,,2 New St,,Z,NY,10001,2024",
    )
    load_master(con, [path])
    assert con.execute("SELECT street FROM master_address").fetchall() == [("2 New St",)]


def test_missing_column_refuses_before_any_write(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    good = write(tmp_path / "good.csv", "111223333,Bo,,Ng,,,2 C St,,Z,NY,10001,2024")
    bad = tmp_path / "bad.csv"
    bad.write_text("tin,first_name\n1,2\n")
    with pytest.raises(ColumnsMissing, match="last_name"):
        load_master(con, [good, bad])
    tables = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'master_address'")
    assert tables.fetchone() == (0,)


def test_file_failing_midway_leaves_nothing_behind(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    good = write(tmp_path / "good.csv", "111223333,Bo,,Ng,,,2 C St,,Z,NY,10001,2024")
    broken = write(tmp_path / "broken.csv", "222334444,Al,,Wu,,,3 D St,,Z,NY,10001,2024")
    # A line longer than any row of fields within the field limit can be: the file fails.
    too_long = len(MASTER_COLUMNS) * (FIELD_LIMIT * 4 + 4) + 3
    broken.write_bytes(broken.read_bytes() + b'"' + b"x" * too_long + b'",,\n')
    with pytest.raises(FileUnreadable):
        load_master(con, [good, broken])
    assert con.execute("SELECT count(*) FROM master_address").fetchone() == (0,)


def test_parquet_and_jsonl_load_like_csv(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    record = {
        "tin": "111223333",
        "first_name": "Bo",
        "last_name": "Ng",
        "street": "2 C St",
        "city": "Z",
        "state": "NY",
        "zip": "10001",
        "tax_year": 2024,
    }
    pq.write_table(pa.table({k: [v] for k, v in record.items()}), tmp_path / "m.parquet")
    (tmp_path / "m.jsonl").write_text(json.dumps({**record, "tax_year": 2023}) + "\n")
    report = load_master(con, [tmp_path / "m.parquet", tmp_path / "m.jsonl"])
    assert report.rows_loaded == 2
    assert con.execute("SELECT tax_year FROM master_address ORDER BY 1").fetchall() == [
        (2023,),
        (2024,),
    ]
