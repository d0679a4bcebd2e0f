"""Blocking keys: the Python (query) and SQL (index) derivations agree, and each key survives."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from portcullis.matching.keys import keys_sql, query_keys
from portcullis.matching.profile import Profile
from portcullis.matching.query import profile_query
from portcullis.matching.rows import query_table

from .households import Row, query_for

CASES = [
    pytest.param(Row("1", "Ana", "García López"), id="compound-surname"),
    pytest.param(Row("2", "Ana", "Ruiz", date_of_birth=None), id="no-dob"),
    pytest.param(Row("3", "Ana", "Ruiz", street="PO Box 5"), id="po-box"),
    pytest.param(Row("4", "Nguyễn", "Văn An"), id="vietnamese"),
]


def sql_keys(con: duckdb.DuckDBPyConnection, profile: Profile) -> set[int]:
    con.register("kq", query_table([profile], [frozenset({2023})]))
    return {int(row[1]) for row in con.execute(keys_sql("kq", "qid")).fetchall()}


@pytest.mark.parametrize("row", CASES)
def test_python_and_sql_keys_agree(con: duckdb.DuckDBPyConnection, row: Row) -> None:
    profile = profile_query(query_for(row))
    unswapped = {h for h, _ in query_keys(profile).items()}
    assert sql_keys(con, profile) <= unswapped
    assert sql_keys(con, profile)


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"first_name": "Bob"}, id="given-changed"),
        pytest.param({"last_name": "Smyth"}, id="surname-changed"),
        pytest.param({"date_of_birth": dt.date(1999, 9, 9)}, id="dob-changed"),
        pytest.param({"street": "1 Other Rd", "zip": "99999"}, id="address-changed"),
    ],
)
def test_a_true_match_survives_any_one_corrupted_field(changes: dict[str, object]) -> None:
    row = Row("5", "Robert", "Smith")
    original = set(query_keys(profile_query(query_for(row))))
    corrupted = set(query_keys(profile_query(query_for(row, **changes))))  # type: ignore[arg-type]
    assert original & corrupted


def test_swapped_names_share_a_key() -> None:
    row = Row("6", "Robert", "Smith")
    swapped = query_for(row, first_name="Smith", last_name="Robert")
    assert set(query_keys(profile_query(query_for(row)))) & set(query_keys(profile_query(swapped)))
