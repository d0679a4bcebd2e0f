"""The master loader's field rules are the request reader's: field limit, placeholders, rows."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from portcullis.contract.columns import MASTER_COLUMNS, REQUEST_COLUMNS
from portcullis.contract.request_file import read_request_file
from portcullis.contract.tabular import FIELD_LIMIT, ROW_COLUMN, iter_batches
from portcullis.errors import FileUnreadable
from portcullis.master.loader import load_master
from tests.master.files import HEADER

GOOD = "111223333,Bo,,Ng,,,2 C St,,Z,NY,10001,2024"


def record(**values: str) -> dict[str, str]:
    base = dict(zip(MASTER_COLUMNS, GOOD.split(","), strict=True))
    return base | values


def write(path: Path, records: list[dict[str, str]]) -> Path:
    """Write the records as CSV, Parquet or JSON Lines, by the file's extension."""
    if path.suffix == ".csv":
        lines = [",".join(f'"{r[name]}"' for name in MASTER_COLUMNS) for r in records]
        path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    elif path.suffix == ".parquet":
        pq.write_table(pa.Table.from_pylist(records), path)
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def rejects(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute(
        "SELECT row_number, field, code, message FROM master_rejects ORDER BY row_number, field"
    ).fetchall()


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_a_field_over_the_field_limit_rejects_its_row_naming_the_row_and_field(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, suffix: str
) -> None:
    # At the limit in characters (nearly twice as many bytes) a field is kept; one more is too long.
    at_limit = record(tin="222334444", city="Zé" + "é" * (FIELD_LIMIT - 2))
    over = record(tin="333445555", street="9" + " Elm St" + "x" * (FIELD_LIMIT - 7))
    path = write(tmp_path / f"m{suffix}", [record(), at_limit, over, record(tin="444556666")])
    report = load_master(con, [path])
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (4, 3, 1)
    message = f"field street longer than the field limit ({FIELD_LIMIT} characters)"
    assert rejects(con) == [(3, "(row)", "unreadable_row", message)]
    stored = con.execute("SELECT tin, length(city) FROM master_address ORDER BY tin")
    assert stored.fetchall() == [("111223333", 1), ("222334444", FIELD_LIMIT), ("444556666", 1)]
    if suffix != ".csv":  # the request reader refuses such a CSV file whole; these it names
        batches = list(iter_batches(path, list(MASTER_COLUMNS)))
        assert [(e.row, e.field, e.code, e.message) for b in batches for e in b.errors] == (
            rejects(con)
        )


def test_a_row_with_several_fields_over_the_limit_names_each(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    long = "x" * (FIELD_LIMIT + 1)
    path = write(tmp_path / "m.csv", [record(first_name=long, city=long, street=long)])
    load_master(con, [path])
    names = "first_name, street, city"
    message = f"field {names} longer than the field limit ({FIELD_LIMIT} characters)"
    assert rejects(con) == [(1, "(row)", "unreadable_row", message)]


PLACEHOLDERS = [
    ("unit", "N/A"),
    ("unit", "Apt XXX"),
    ("unit", "000"),
    ("middle_name", "NMN"),
    ("middle_name", "Unknown"),
    ("name_suffix", "N/A"),
]


@pytest.mark.parametrize(("field", "value"), PLACEHOLDERS)
def test_a_placeholder_in_an_optional_field_is_not_given_as_the_request_reader_reads_it(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, field: str, value: str
) -> None:
    path = write(tmp_path / "m.csv", [record(), record(tin="222334444", **{field: value})])
    report = load_master(con, [path])
    assert (report.rows_loaded, report.rows_rejected, report.rows_with_ignored_fields) == (2, 0, 1)
    stored = con.execute(f"SELECT {field} FROM master_address WHERE tin = '222334444'")
    assert stored.fetchall() == [(None,)]
    assert rejects(con) == []
    # The request reader, given the same value in the same field, says the same of it.
    request = tmp_path / "r.csv"
    item = dict.fromkeys(REQUEST_COLUMNS, "x") | {field: value}
    request.write_text(
        ",".join(REQUEST_COLUMNS) + "\n" + ",".join(f'"{item[n]}"' for n in REQUEST_COLUMNS)
    )
    (read,) = read_request_file(request).items
    expected = [(1, e.field, e.code, e.message) for e in read.field_errors if e.field == field]
    assert [(e.row, e.code) for e in report.ignored] == [(2, "placeholder")]
    assert [(e.field, e.code, e.message) for e in report.ignored] == [x[1:] for x in expected]


@pytest.mark.parametrize(
    ("field", "value"),
    [("unit", "Apt 2"), ("unit", "1"), ("middle_name", "Na"), ("name_suffix", "III")],
)
def test_a_real_value_in_an_optional_field_is_stored_as_given(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, field: str, value: str
) -> None:
    load_master(con, [write(tmp_path / "m.csv", [record(**{field: value})])])
    assert con.execute(f"SELECT {field} FROM master_address").fetchall() == [(value,)]


def test_a_rejected_row_lists_its_placeholder_beside_its_reason(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = write(tmp_path / "m.csv", [record(tin="12345", unit="N/A")])
    load_master(con, [path])
    assert [row[:3] for row in rejects(con)] == [
        (1, "tin", "malformed_tin"),
        (1, "unit", "placeholder"),
    ]


RAGGED = "999000111,Hal,,Ode,,,1 F St,,Z,NY,10001"
BAD_TIN = "12345,Ann,,Lee,,,1 B St,,Y,CA,90210,2024"
# Data rows (the header is row 0) between blank lines, lines of spaces, quoted line breaks and
# an empty quoted field on a line of its own: none of those is a row to the contract's reader.
NUMBERED = [
    (None, HEADER),
    (1, GOOD),
    (None, ""),
    (2, RAGGED),
    (None, ""),
    (None, ""),
    (3, '222334444,Cy,,Oh,,,"1 B St\n\nRear",,Y,CA,90210,2024'),
    (4, RAGGED),
    (None, "   "),
    (5, BAD_TIN),
    (None, '""'),
    (6, '333445555,Di,,Ax,,,"2 B\nSt",,Y,CA,90210,2024'),
    (7, BAD_TIN),
    (8, RAGGED + ",2024,extra"),
    (9, "444556666,Ed,,Ux,,,1 B St,,Y,CA,90210,2024"),
]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_reject_is_numbered_by_the_data_row_a_person_counts_in_the_file(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, newline: str
) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes((newline.join(line for _, line in NUMBERED) + newline).encode())
    report = load_master(con, [path])
    rejected = sorted({row for row, *_ in rejects(con)})
    assert rejected == [2, 4, 5, 7, 8]
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (9, 4, 5)
    # The contract's reader (the request road's) numbers the same rows the same way.
    batches = list(iter_batches(path, list(MASTER_COLUMNS)))
    garbled = {e.row for b in batches for e in b.errors}
    tins = {
        row: tin
        for b in batches
        for row, tin in zip(
            b.table[ROW_COLUMN].to_pylist(), b.table["tin"].to_pylist(), strict=True
        )
    }
    assert garbled == {2, 4, 8}
    assert {row for row, tin in tins.items() if tin == "12345"} == {5, 7}
    kept = con.execute("SELECT tin FROM master_address ORDER BY tin").fetchall()
    assert kept == [(tins[1],), (tins[3],), (tins[6],), (tins[9],)]


def test_a_json_lines_reject_is_numbered_by_its_row_and_the_later_row_of_a_key_wins(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    def line(tin: str, street: str = "2 C St") -> bytes:
        return json.dumps(record(tin=tin, street=street)).encode()

    # Enough rows first that the header is read before the line that is not UTF-8.
    lines = [line(str(100000000 + i)) for i in range(300)]
    lines += [b"", b"   ", line("222334444", "1 Old St"), b'{"tin": "\xff"}', b""]
    lines += [line("12345"), b"[1]", line("222334444", "2 New St")]
    path = tmp_path / "m.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    load_master(con, [path])
    assert [row[:3] for row in rejects(con)] == [
        (302, "(row)", "unreadable_row"),
        (303, "tin", "malformed_tin"),
        (304, "(row)", "unreadable_row"),
    ]
    batches = list(iter_batches(path, list(MASTER_COLUMNS)))
    assert {e.row for b in batches for e in b.errors} == {302, 304}
    street = con.execute("SELECT street FROM master_address WHERE tin = '222334444'")
    assert street.fetchall() == [("2 New St",)]


def test_a_parquet_master_that_expands_past_its_rows_fields_is_refused_unread(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    # About 1 KB on disk, 20 MB in one field once decompressed: the request reader's bound.
    path = tmp_path / "bomb.parquet"
    pq.write_table(
        pa.Table.from_pylist([record(street="A" * 20_000_000)]), path, compression="zstd"
    )
    assert path.stat().st_size < 100_000
    with pytest.raises(FileUnreadable, match="column street of row group 1 expands"):
        load_master(con, [path])
    assert con.execute("SELECT count(*) FROM master_address").fetchone() == (0,)


def test_a_csv_the_engine_cannot_parse_is_refused_by_name_and_nothing_is_written(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    good = write(tmp_path / "good.csv", [record()])
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(f"{HEADER}\n{GOOD}\r\n\n{GOOD}\n".encode())
    with pytest.raises(FileUnreadable, match=r"mixed\.csv"):
        load_master(con, [good, mixed])
    assert con.execute("SELECT count(*) FROM master_address").fetchone() == (0,)
