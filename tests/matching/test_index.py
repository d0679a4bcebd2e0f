"""The match index: idempotent rebuilds, empty masters, key capping, sorted lookups."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from portcullis.master.schema import create_master_tables
from portcullis.matching import build_index, index
from portcullis.matching.keys import KEY_CAP, KIND_CAPS, key_hash

from .households import Row, fill_master, filler


def counts(con: duckdb.DuckDBPyConnection) -> tuple[int, ...]:
    row = con.execute("SELECT taxpayers, address_rows, keys FROM match_meta").fetchone()
    assert row is not None
    return tuple(int(v) for v in row)


def test_rebuild_is_idempotent(con: duckdb.DuckDBPyConnection) -> None:
    fill_master(con, filler(50))
    first = counts(con)
    build_index(con)
    assert counts(con) == first == (50, 50, first[2])
    leftovers = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'match_stage%'"
    ).fetchone()
    assert leftovers == (0,)


def test_empty_master_builds_an_empty_index(con: duckdb.DuckDBPyConnection) -> None:
    create_master_tables(con)
    build_index(con)
    assert counts(con) == (0, 0, 0)


def test_reload_replaces_the_previous_index(con: duckdb.DuckDBPyConnection) -> None:
    fill_master(con, filler(30))
    fill_master(con, filler(10))
    assert counts(con)[0] == 10


def test_one_taxpayer_many_years_is_one_taxpayer(con: duckdb.DuckDBPyConnection) -> None:
    rows = [Row("123456789", "Ana", tax_year=year) for year in (2020, 2021, 2022)]
    fill_master(con, rows)
    assert counts(con)[:2] == (1, 3)


def test_latest_name_is_the_identity(con: duckdb.DuckDBPyConnection) -> None:
    fill_master(
        con,
        [
            Row("123456789", "Ana", "Ruiz", tax_year=2020),
            Row("123456789", "Ana", "Vega", tax_year=2023),
        ],
    )
    assert con.execute("SELECT ln FROM match_taxpayer").fetchone() == ("vega",)


def test_overfull_keys_are_dropped(con: duckdb.DuckDBPyConnection) -> None:
    crowd = [
        Row(str(100_000_000 + i), "Maria", "Garcia", street=f"{i} Elm St")
        for i in range(KEY_CAP + 1)
    ]
    fill_master(con, crowd)
    # Everyone shares the name and birth date keys; only per-address keys survive the cap.
    per_person = con.execute("SELECT count(*) FROM match_key").fetchone()
    assert per_person == (len(crowd),)


def test_building_in_slices_gives_the_same_sorted_table(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [*filler(60), Row("100000001", "Ana", tax_year=2021, street="3 Old Rd")]
    fill_master(con, rows)
    whole = con.execute("SELECT * FROM match_taxpayer").fetchall()
    monkeypatch.setattr(index, "BUILD_SLICE", 7)
    build_index(con)
    sliced = con.execute("SELECT * FROM match_taxpayer").fetchall()
    assert sliced == whole
    assert [row[0] for row in sliced] == list(range(len(whole)))


@pytest.mark.parametrize(
    ("people", "kept"), [(KIND_CAPS["FL"], True), (KIND_CAPS["FL"] + 1, False)]
)
def test_the_name_pair_key_has_a_lower_cap(
    con: duckdb.DuckDBPyConnection, people: int, kept: bool
) -> None:
    crowd = [
        Row(
            str(100_000_000 + i),
            "Maria",
            "Garcia",
            date_of_birth=dt.date(1950 + i % 50, 1 + i % 12, 1 + i % 28),
            street=f"{i} Elm St",
            zip=f"{60000 + i}",
        )
        for i in range(people)
    ]
    fill_master(con, crowd)
    name_pair = key_hash("FL|maria|garcia")
    holders = con.execute("SELECT count(*) FROM match_key WHERE key_hash = ?", [name_pair])
    assert holders.fetchone() == ((people if kept else 0),)
    # Everyone keeps the keys that include a birth date or a ZIP code.
    owners = con.execute("SELECT count(DISTINCT pos) FROM match_key").fetchone()
    assert owners == (people,)
