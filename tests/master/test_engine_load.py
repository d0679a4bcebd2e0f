"""The master load in the engine: the same store as the row-by-row reader, in every format."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from portcullis.contract.columns import MASTER_COLUMNS, MASTER_REQUIRED
from portcullis.contract.normalize import normalise_select_sql
from portcullis.contract.placeholders import PLACEHOLDER_TESTS
from portcullis.contract.tabular import ROW_COLUMN, iter_batches
from portcullis.errors import FileUnreadable
from portcullis.master.loader import MASTER_SPECS, load_master
from tests.master.files import HEADER, write_lines

# Rows that have tripped readers: separators and runs of whitespace, quoted commas and line
# breaks, ZIP+4 and dashed TINs, impossible and future dates, lower-case states, a repeated
# (TIN, year) whose later row wins, ragged rows, bytes that are not UTF-8, non-Latin names.
HARD_ROWS: tuple[bytes, ...] = (
    b"123-45-6789, Ana  Mar\xc3\xada ,,Garc\xc3\xada L\xc3\xb3pez,,1980-02-29,12 Main St,,"
    b"Springfield,il,62701,2023",
    b'123 45 6789,Ana,,Lee,,1980-02-29,"14 Oak Ave, Rear",Apt 2,"Spring\nfield",IL,627011234,2024',
    b"111223333,Bo,\t,Ng,Jr,1990-02-30,2 C St,,Z,NY,10001,2024",
    b"111223333,Bo,,Ng,,2999-01-01,3 C St,N/A,Z,ny,10001-0001,2024",
    b"222334444,\xe7\x8e\x8b,,\xe5\xb0\x8f\xe6\x98\x8e,,0000-01-01,5 D St,,Y,PR,00901,2022",
    b"12345,Ann,,Lee,,1971-20-08,1 B St,,Y,CA,90210,2024",
    b"333445555,Cy,,Oh,,,1 B St,,Y,QQ,9021,1890",
    b"444556666,Di,,Ax,,,1 B St,,Y,CA,90210,2024,extra",
    b"555667777,\xff\xfeEd,,Ux,,,1 B St,,Y,CA,90210,2024",
    b"666778888,  ,,Ux,,,1 B St,,Y,CA,90210,2024",
    b'777889999,Flo,,Ray,,1950-06-01,"9  Elm\r\n St",,  Boston ,MA,02108,2021',
    b"888990000,Gus,,Ivy,III,1950-06-01,10 Elm St,Apt XXX,Boston,AE,09001,2025",
)


def write_csv(path: Path, rows: tuple[bytes, ...]) -> Path:
    path.write_bytes(b"\n".join([HEADER.encode(), *rows]) + b"\n")
    return path


def stored(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    columns = ", ".join(MASTER_COLUMNS)
    return con.execute(f"SELECT {columns} FROM master_address ORDER BY tin, tax_year").fetchall()


def rejects(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute(
        "SELECT row_number, field, code FROM master_rejects ORDER BY row_number, field"
    ).fetchall()


def row_by_row(path: Path) -> tuple[list[tuple[object, ...]], set[tuple[object, ...]]]:
    """What the row-by-row reader (the contract's Python reader) made of the file."""
    required = [spec.name for spec in MASTER_SPECS if spec.required]
    kept: dict[tuple[object, object], tuple[object, ...]] = {}
    errors: set[tuple[object, ...]] = set()
    with duckdb.connect() as con:
        for batch in iter_batches(path, list(MASTER_COLUMNS)):
            errors |= {(e.row, e.field, e.code) for e in batch.errors}
            con.register("incoming", batch.table)
            cursor = con.execute(normalise_select_sql(MASTER_SPECS, "incoming", ROW_COLUMN))
            names = [d[0] for d in cursor.description]
            for values in cursor.fetchall():
                row = dict(zip(names, values, strict=True))
                # An optional field holding a placeholder is not given (the request reader's rule).
                for name, test in PLACEHOLDER_TESTS.items():
                    if name not in MASTER_REQUIRED and row[name] is not None and test(row[name]):
                        row[name], row[f"err_{name}"] = None, "placeholder"
                if any(row[f"err_{name}"] for name in required):
                    errors |= {
                        (row[ROW_COLUMN], spec.name, row[f"err_{spec.name}"])
                        for spec in MASTER_SPECS
                        if row[f"err_{spec.name}"]
                    }
                    continue
                kept[(row["tin"], row["tax_year"])] = tuple(row[name] for name in MASTER_COLUMNS)
            con.unregister("incoming")
    return sorted(kept.values(), key=lambda r: (str(r[0]), int(r[-1]))), errors  # type: ignore[call-overload]


def test_engine_stores_exactly_what_the_row_by_row_reader_read(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "hard.csv", HARD_ROWS)
    expected_rows, expected_rejects = row_by_row(path)
    report = load_master(con, [path])
    assert stored(con) == expected_rows
    assert set(rejects(con)) == expected_rejects
    assert len(rejects(con)) == len(expected_rejects)
    assert report.rows_read == len(HARD_ROWS)
    assert report.rows_rejected == len({e[0] for e in expected_rejects})
    # The hard cases do reach both sides: rows kept, rows rejected, one kept without a field.
    assert len(expected_rows) >= 5 and report.rows_rejected >= 4
    assert report.rows_with_ignored_fields >= 2


def test_rejects_are_named_by_row_and_field_with_the_reader_s_reason(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    report = load_master(con, [write_csv(tmp_path / "hard.csv", HARD_ROWS)])
    by_row = {(row, field): code for row, field, code in rejects(con)}
    assert by_row[(6, "tin")] == "malformed_tin"
    assert by_row[(6, "date_of_birth")] == "malformed_date"
    assert by_row[(7, "state")] == "unknown_state"
    assert by_row[(7, "zip")] == "malformed_zip"
    assert by_row[(7, "tax_year")] == "malformed_year"
    assert by_row[(8, "(row)")] == "unreadable_row"
    assert by_row[(9, "(row)")] == "unreadable_row"
    assert by_row[(10, "first_name")] == "missing"
    messages = dict(
        con.execute(
            "SELECT row_number, message FROM master_rejects WHERE field = '(row)'"
        ).fetchall()
    )
    assert messages == {8: "wrong number of fields", 9: "not valid UTF-8 text"}
    assert [(e.row, e.field) for e in report.rejects][:2] == [(6, "date_of_birth"), (6, "tin")]


def test_a_row_with_a_good_identity_keeps_it_and_drops_only_the_unreadable_field(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    report = load_master(con, [write_csv(tmp_path / "hard.csv", HARD_ROWS)])
    ignored = {(e.row, e.field, e.code) for e in report.ignored}
    assert (3, "date_of_birth", "malformed_date") in ignored
    assert (5, "date_of_birth", "malformed_date") in ignored
    dob = con.execute("SELECT date_of_birth FROM master_address WHERE tin = '222334444'")
    assert dob.fetchall() == [(None,)]
    assert con.execute("SELECT count(*) FROM master_rejects WHERE row_number = 5").fetchone() == (
        0,
    )


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_each_format_stores_what_the_csv_stores(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, fmt: str
) -> None:
    # Rows every format can carry (no bytes that are not UTF-8, no ragged rows).
    readable = tuple(row for row in HARD_ROWS if b"\xff" not in row and not row.endswith(b"extra"))
    csv_path = write_csv(tmp_path / "m.csv", readable)
    load_master(con, [csv_path])
    expected_rows, expected_rejects = stored(con), rejects(con)
    table = next(iter_batches(csv_path, list(MASTER_COLUMNS))).table.drop_columns([ROW_COLUMN])
    other = tmp_path / f"m.{fmt}"
    if fmt == "parquet":
        pq.write_table(table, other)
    else:
        other.write_text("".join(json.dumps(record) + "\n" for record in table.to_pylist()))
    with duckdb.connect() as fresh:
        load_master(fresh, [other])
        assert stored(fresh) == expected_rows
        assert rejects(fresh) == expected_rejects


def test_jsonl_names_a_line_that_is_no_object(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    good = {"tin": "111223333", "first_name": "Bo", "last_name": "Ng", "street": "2 C St",
            "city": "Z", "state": "NY", "zip": "10001", "tax_year": 2024}  # fmt: skip
    path = tmp_path / "m.jsonl"
    path.write_text(json.dumps(good) + "\n[1, 2]\n{not json\n" + json.dumps(good) + "\n")
    report = load_master(con, [path])
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (4, 1, 2)
    assert rejects(con) == [(2, "(row)", "unreadable_row"), (3, "(row)", "unreadable_row")]


def test_loading_the_same_file_twice_changes_nothing(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "hard.csv", HARD_ROWS)
    first = load_master(con, [path])
    everything = "SELECT * FROM master_address ORDER BY tin, tax_year"
    before, rejected = con.execute(everything).fetchall(), rejects(con)
    second = load_master(con, [path])
    assert con.execute(everything).fetchall() == before  # loaded_at and source_file included
    assert rejects(con) == rejected
    assert (first.rows_written, second.rows_written) == (first.rows_loaded, 0)
    assert second.rows_loaded == first.rows_loaded


def test_a_failure_mid_file_leaves_the_previous_master_untouched(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load_master(con, [write_csv(tmp_path / "old.csv", HARD_ROWS[:3])])
    everything = "SELECT * FROM master_address ORDER BY tin, tax_year"
    before, rejected = con.execute(everything).fetchall(), rejects(con)
    # Good rows, then a quote that never closes: the reader cannot go on past it.
    broken = write_csv(
        tmp_path / "new.csv",
        (
            b"999000111,Hal,,Ode,,,1 F St,,Z,NY,10001,2024",
            b"111223333,Bo,,Ng,,,9 New Rd,,Z,NY,10001,2024",
            b'999000222,Ida,,Ode,,,"2 F St,,Z,NY,10001,2024',
        ),
    )
    with pytest.raises(FileUnreadable, match=r"new\.csv"):
        load_master(con, [write_csv(tmp_path / "fine.csv", HARD_ROWS[3:5]), broken])
    assert con.execute(everything).fetchall() == before
    assert rejects(con) == rejected


# A mixed file: valid rows, each kind of invalid field, non-Latin text, runs of whitespace,
# non-breaking spaces and placeholders. Its store, rejects and ignored fields were taken from the
# loader before its normalising SQL was made cheaper, and pin that SQL's results.
MIXED_ROWS: tuple[str, ...] = (
    "123456789,Ana,,Lee,,1980-02-29,12 Main St,,Springfield,IL,62701,2023",
    '123-45-6789,"  Ana  Mar\u00eda ",NMN,"Garc\u00eda\tL\u00f3pez",Jr,1980-02-29,"12  Main\tSt",'
    "N/A,Springfield,il,62701-1234,2024",
    "223456789,\u738b,,\u5c0f\u660e,,,5 D St,Apt 2,San Juan,PR,00901,2022",
    "323456789,Bo,,Ng,,1990-02-30,2 C St,,Z,NY,10001,2024",
    "423456789,Bo,,Ng,,2999-01-01,3 C St,UNKNOWN,Z,ny,100010001,2024",
    "12345,Ann,,Lee,,1971-20-08,1 B St,,Y,CA,90210,2024",
    "523456789,Cy,,Oh,,,1 B St,,Y,QQ,9021,1890",
    "623456789,,,Ux,,,1 B St,,Y,CA,90210,2024",
    "723456789,Di,,Ax,,,,,Y,CA,90210,2024",
    '823456789,Flo,,Ray,III,1950-06-01,"9 Elm\r\n St",,"  Boston ",MA,02108,2021',
    "923456789,Gus,XXX,Ivy,,1950-06-01,10 Elm St,Apt XXX,Boston,AE,09001,2025",
    "923456789,Gus,,Ivy,,1950-06-01,11 Elm St,,Boston,AE,09001,2025",
    "\u00a0023456789\u00a0,\u00a0Hal\u00a0,,Orr,,1960-01-01,1 A St,,Reno,NV,89501,2020",
    "133456789,Ida,,Poe,,1960-01-01,1 A St,,Reno,NV,89501,year",
    "143456789,Jo,,Q,,0000-01-01,1 A St,,Reno,NV,89501,2020",
)


def test_mixed_file_loads_exactly_as_pinned(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    report = load_master(con, [write_lines(tmp_path / "mixed.csv", *MIXED_ROWS)])
    day = dt.date
    assert stored(con) == [
        ("023456789", "Hal", None, "Orr", None, day(1960, 1, 1), "1 A St", None, "Reno", "NV",
         "89501", 2020),
        ("123456789", "Ana", None, "Lee", None, day(1980, 2, 29), "12 Main St", None,
         "Springfield", "IL", "62701", 2023),
        ("123456789", "Ana Mar\u00eda", None, "Garc\u00eda L\u00f3pez", "Jr", day(1980, 2, 29),
         "12 Main St", None, "Springfield", "IL", "62701-1234", 2024),
        ("143456789", "Jo", None, "Q", None, None, "1 A St", None, "Reno", "NV", "89501", 2020),
        ("223456789", "\u738b", None, "\u5c0f\u660e", None, None, "5 D St", "Apt 2", "San Juan",
         "PR", "00901", 2022),
        ("323456789", "Bo", None, "Ng", None, None, "2 C St", None, "Z", "NY", "10001", 2024),
        ("423456789", "Bo", None, "Ng", None, None, "3 C St", None, "Z", "NY", "10001-0001",
         2024),
        ("823456789", "Flo", None, "Ray", "III", day(1950, 6, 1), "9 Elm St", None, "Boston",
         "MA", "02108", 2021),
        ("923456789", "Gus", None, "Ivy", None, day(1950, 6, 1), "11 Elm St", None, "Boston",
         "AE", "09001", 2025),
    ]  # fmt: skip
    assert rejects(con) == [
        (6, "date_of_birth", "malformed_date"), (6, "tin", "malformed_tin"),
        (7, "state", "unknown_state"), (7, "tax_year", "malformed_year"),
        (7, "zip", "malformed_zip"), (8, "first_name", "missing"), (9, "street", "missing"),
        (14, "tax_year", "malformed_year"),
    ]  # fmt: skip
    assert [(e.row, e.field, e.code) for e in report.ignored] == [
        (2, "middle_name", "placeholder"), (2, "unit", "placeholder"),
        (4, "date_of_birth", "malformed_date"), (5, "date_of_birth", "implausible_date"),
        (5, "unit", "placeholder"), (11, "middle_name", "placeholder"),
        (11, "unit", "placeholder"), (15, "date_of_birth", "malformed_date"),
    ]  # fmt: skip
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (15, 9, 5)
    assert report.rows_with_ignored_fields == 5
