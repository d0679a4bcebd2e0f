"""The keyed write: a first load, the same file again, a new tax year, a changed record."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from portcullis.master.loader import load_master
from tests.master.files import write_lines as write

EVERYTHING = "SELECT * FROM master_address ORDER BY tin, tax_year"


def row(tin: str, year: int, street: str = "2 C St", middle: str = "") -> str:
    return f"{tin},Bo,{middle},Ng,,1970-01-02,{street},,Z,NY,10001,{year}"


def test_a_new_tax_year_is_appended_and_the_stored_years_are_not_rewritten(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    first = write(
        tmp_path / "a.csv", *(row(f"11122333{i}", y) for i in range(3) for y in (2023, 2024))
    )
    load_master(con, [first])
    before = con.execute(EVERYTHING).fetchall()
    report = load_master(
        con, [write(tmp_path / "b.csv", *(row(f"11122333{i}", 2025) for i in range(3)))]
    )
    assert (report.rows_loaded, report.rows_written) == (3, 3)
    after = con.execute(EVERYTHING).fetchall()
    assert [r for r in after if r[11] != 2025] == before  # source_file and loaded_at kept
    assert {(r[0], r[12]) for r in after if r[11] == 2025} == {
        (f"11122333{i}", str(tmp_path / "b.csv")) for i in range(3)
    }


@pytest.mark.parametrize(
    ("changed", "column", "value"),
    [
        pytest.param(row("111223330", 2024, street="9 New Rd"), "street", "9 New Rd", id="street"),
        pytest.param(row("111223330", 2024, middle="Al"), "middle_name", "Al", id="null-to-value"),
    ],
)
def test_a_changed_record_is_rewritten_and_only_it(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, changed: str, column: str, value: str
) -> None:
    load_master(con, [write(tmp_path / "a.csv", row("111223330", 2024), row("111223331", 2024))])
    kept = con.execute(f"{EVERYTHING}").fetchall()[1]
    report = load_master(con, [write(tmp_path / "b.csv", changed, row("111223331", 2024))])
    assert (report.rows_loaded, report.rows_written) == (2, 1)
    stored = con.execute(
        f"SELECT {column}, source_file FROM master_address WHERE tin = '111223330'"
    )
    assert stored.fetchall() == [(value, str(tmp_path / "b.csv"))]
    assert con.execute(EVERYTHING).fetchall()[1] == kept


def test_a_repeated_key_in_a_later_load_writes_its_last_row(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load_master(con, [write(tmp_path / "a.csv", row("111223330", 2024))])
    again = write(
        tmp_path / "b.csv",
        row("111223330", 2024, street="5 Mid St"),
        row("111223339", 2024),
        row("111223330", 2024, street="7 Last St"),
    )
    report = load_master(con, [again])
    assert (report.rows_loaded, report.rows_written) == (2, 2)
    streets = con.execute("SELECT tin, street FROM master_address ORDER BY tin").fetchall()
    assert streets == [("111223330", "7 Last St"), ("111223339", "2 C St")]
