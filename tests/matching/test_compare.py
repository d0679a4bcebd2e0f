"""Comparison levels computed by the SQL steps, on the hard cases as named parameters."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import duckdb
import pytest

from portcullis.matching import MatchQuery
from portcullis.matching.query import profile_query
from portcullis.matching.rows import query_table
from portcullis.matching.score import candidates_sql, levels_sql, queries_sql

from .households import Row, fill_master, query_for

BASE = Row(
    tin="111223333",
    first_name="Robert",
    middle_name="James",
    last_name="García López",
    date_of_birth=dt.date(1980, 4, 12),
    street="12 North Oak Street",
)


def levels_of(con: duckdb.DuckDBPyConnection, row: Row, query: MatchQuery) -> dict[str, Any]:
    """Return the comparison levels of `query` against the single taxpayer `row`."""
    fill_master(con, [row])
    return _levels_over(con, query)


@pytest.mark.parametrize(
    ("changes", "field", "level"),
    [
        pytest.param({}, "given", "exact", id="given-exact"),
        pytest.param({"first_name": "Bob"}, "given", "nickname", id="given-nickname"),
        pytest.param({"first_name": "Robrt"}, "given", "fuzzy", id="given-typo"),
        pytest.param({"first_name": "R"}, "given", "initial", id="given-initial"),
        pytest.param({"first_name": "Roberta"}, "given", "fuzzy", id="given-sister-is-only-fuzzy"),
        pytest.param({"first_name": "Maria"}, "given", "disagree", id="given-other"),
        pytest.param(
            {"first_name": "Robert-Louis"}, "given", "fuzzy", id="given-hyphenated-brother"
        ),
        pytest.param(
            {"first_name": "García", "last_name": "Robert"}, "given", "swapped", id="names-swapped"
        ),
        pytest.param({"last_name": "Garcia Lopez"}, "surname", "exact", id="surname-no-accents"),
        pytest.param({"last_name": "García"}, "surname", "token", id="surname-paternal-only"),
        pytest.param({"last_name": "Lopez"}, "surname", "token", id="surname-maternal-only"),
        pytest.param({"last_name": "Garsia Lopes"}, "surname", "fuzzy", id="surname-typo"),
        pytest.param({"last_name": "Nguyen"}, "surname", "disagree", id="surname-other"),
        pytest.param({"middle_name": "J"}, "middle", "initial", id="middle-initial"),
        pytest.param({"middle_name": "Luis"}, "middle", "disagree", id="middle-other"),
        pytest.param({"middle_name": None}, "middle", "missing", id="middle-missing"),
        pytest.param({"name_suffix": "Jr"}, "suffix", "one_missing", id="suffix-one-side"),
        pytest.param(
            {"date_of_birth": dt.date(1980, 12, 4)}, "dob", "transposed", id="dob-day-month"
        ),
        pytest.param({"date_of_birth": dt.date(1981, 4, 12)}, "dob", "slip", id="dob-digit-slip"),
        pytest.param(
            {"date_of_birth": dt.date(1980, 4, 21)}, "dob", "slip", id="dob-digits-swapped"
        ),
        pytest.param({"date_of_birth": dt.date(1979, 4, 12)}, "dob", "near", id="dob-year-before"),
        pytest.param({"date_of_birth": dt.date(1980, 4, 25)}, "dob", "near", id="dob-other-day"),
        pytest.param({"date_of_birth": dt.date(1980, 9, 12)}, "dob", "slip", id="dob-month-key"),
        pytest.param({"date_of_birth": dt.date(1980, 11, 12)}, "dob", "near", id="dob-other-month"),
        pytest.param(
            {"date_of_birth": dt.date(2005, 4, 12)}, "dob", "disagree", id="dob-generation-apart"
        ),
        pytest.param({"date_of_birth": None}, "dob", "missing", id="dob-missing"),
        pytest.param(
            {"street": "12 N Oak St", "zip": "62701-0001"}, "address", "exact", id="address-abbrev"
        ),
        pytest.param({"street": "12 N Oak Stret"}, "address", "street", id="address-typo"),
        pytest.param(
            {"street": "40 North Oak Street"}, "address", "same_street", id="address-same-street"
        ),
        pytest.param(
            {"street": "40 N Oak St", "zip": "62799"},
            "address",
            "same_street",
            id="address-same-street-same-city",
        ),
        pytest.param({"street": "40 Main St"}, "address", "zip", id="address-same-zip"),
        pytest.param(
            {"street": "40 Main St", "zip": "62702"}, "address", "city", id="address-same-city"
        ),
        pytest.param(
            {"street": "1 Elm", "city": "Austin", "state": "TX", "zip": "78701"},
            "address",
            "disagree",
            id="address-moved",
        ),
        pytest.param({"tin": "111223333"}, "tin", "agree", id="tin-agree"),
        pytest.param({"tin": "999887777"}, "tin", "disagree", id="tin-disagree"),
        pytest.param({}, "tin", "missing", id="tin-missing"),
    ],
)
def test_level(
    con: duckdb.DuckDBPyConnection, changes: dict[str, Any], field: str, level: str
) -> None:
    assert levels_of(con, BASE, query_for(BASE, **changes))[field] == level


@pytest.mark.parametrize(
    ("filed", "asked", "level"),
    [
        pytest.param("Muhammad", "Mohammed", "variant", id="mohammed-muhammad"),
        pytest.param("Layla", "Leila", "variant", id="layla-leila"),
        pytest.param("Sergei", "Sergey", "variant", id="sergei-sergey"),
        pytest.param("Maria", "Mary", "nickname", id="maria-mary"),
        pytest.param("Robert", "Bob", "nickname", id="robert-bob"),
        pytest.param("Muhammad", "Muhammad", "exact", id="same-spelling-is-exact"),
        pytest.param("Muhammad", "Mahmoud", "disagree", id="another-arabic-name"),
    ],
)
def test_given_name_variant_and_nickname(
    con: duckdb.DuckDBPyConnection, filed: str, asked: str, level: str
) -> None:
    """One name in two romanisations is a variant; another name the person goes by, a nickname."""
    row = replace(BASE, first_name=filed, middle_name=None)
    assert levels_of(con, row, query_for(row, first_name=asked))["given"] == level


@pytest.mark.parametrize(
    ("filed", "asked"),
    [
        pytest.param(
            ("Patricia", "Trujillo-Aguilar"), ("Trujillo-Aguilar", "Patricia"), id="hyph-sn"
        ),
        pytest.param(("Jean-Claude", "Charles"), ("Charles", "Jean-Claude"), id="hyph-given"),
        pytest.param(("Omar", "Abu-Khalil"), ("Abu-Khalil", "Omar"), id="particle-surname"),
    ],
)
def test_names_swapped_with_a_hyphenated_part(
    con: duckdb.DuckDBPyConnection, filed: tuple[str, str], asked: tuple[str, str]
) -> None:
    """Given and family name written the other way round still meet when one is hyphenated."""
    row = replace(BASE, first_name=filed[0], last_name=filed[1], middle_name=None)
    levels = levels_of(con, row, query_for(row, first_name=asked[0], last_name=asked[1]))
    assert (levels["given"], levels["surname"]) == ("swapped", "swapped")


def test_a_hyphenated_surname_alone_is_no_swap(con: duckdb.DuckDBPyConnection) -> None:
    """A given name equal to the taxpayer's joined surname is not a swap by itself."""
    row = replace(BASE, first_name="Patricia", last_name="Trujillo-Aguilar", middle_name=None)
    query = query_for(row, first_name="Trujillo-Aguilar", last_name="Gomez")
    assert levels_of(con, row, query)["given"] == "disagree"


def test_suffixes_that_differ_disagree(con: duckdb.DuckDBPyConnection) -> None:
    senior = Row(tin="111223334", first_name="Robert", name_suffix="Sr")
    assert levels_of(con, senior, query_for(senior, name_suffix="Jr."))["suffix"] == "disagree"


def test_best_address_in_history_counts(con: duckdb.DuckDBPyConnection) -> None:
    old = Row(tin="111223335", first_name="Ana", street="3 Old Rd", tax_year=2019)
    new = Row(tin="111223335", first_name="Ana", street="9 New Rd", tax_year=2023)
    fill_master(con, [old, new])
    levels = levels_of(con, new, query_for(old, years=frozenset({2023})))
    assert (
        levels["address"] == "zip"
    )  # one row given to levels_of; history covered in matcher tests


def test_scope_year_is_latest_in_scope(con: duckdb.DuckDBPyConnection) -> None:
    row = Row(tin="111223336", first_name="Ana", tax_year=2021)
    assert levels_of(con, row, query_for(row, years=frozenset({2021, 2022})))["scope_year"] == 2021
    assert levels_of(con, row, query_for(row, years=frozenset({2024})))["scope_year"] is None


def test_a_surname_filed_in_an_earlier_year_is_a_former_surname(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The master shows the person filed under the old name, so the old name is evidence."""
    earlier = replace(BASE, last_name="Whitfield", tax_year=2019)
    rows = [earlier, replace(BASE, tax_year=2023)]
    query = query_for(BASE, last_name="Whitfield")
    fill_master(con, rows)
    assert _levels_over(con, query)["surname"] == "former"
    # A surname only a relative filed under is not the taxpayer's former surname.
    fill_master(con, [replace(BASE, tax_year=2023), replace(earlier, tin="999001111")])
    assert _levels_over(con, query, tin="111223333")["surname"] == "disagree"


def _levels_over(
    con: duckdb.DuckDBPyConnection, query: MatchQuery, tin: str | None = None
) -> dict[str, Any]:
    """Return the levels of `query` against the one indexed taxpayer (or the one with `tin`)."""
    queries = query_table([profile_query(query)], [query.tax_years])
    con.register("tq", queries)
    where = f"WHERE tin = '{tin}'" if tin else ""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE tp AS "
        f"SELECT 0::BIGINT AS qid, pos, []::VARCHAR[] AS kinds FROM match_taxpayer {where}"
    )
    relation = con.sql(levels_sql(queries_sql("tq"), candidates_sql("tp")))
    result = relation.fetchall()
    assert len(result) == 1
    return dict(zip([d[0] for d in relation.description], result[0], strict=True))


# A master where James, Jessica, Maria and Mario are common and one taxpayer's return was keyed
# "Jmaes": the rarer of two spellings one slip apart is the slip, on whichever side it is.
_COMMON = ("James", "Jessica", "Maria", "Mario")


def _master_with_common_names() -> list[Row]:
    rows = [
        Row(tin=f"3{index:02d}{n:06d}", first_name=name, date_of_birth=dt.date(1950 + n, 1, 2))
        for index, name in enumerate(_COMMON)
        for n in range(25)
    ]
    return [*rows, Row(tin="411223333", first_name="Jmaes")]


@pytest.mark.parametrize(
    ("filed_tin", "asked", "level"),
    [
        pytest.param("301000000", "Jesica", "typo", id="asked-misspelt"),
        pytest.param("411223333", "James", "typo", id="return-misspelt"),
        pytest.param("300000000", "Jmaes", "typo", id="asked-misspelt-transposed"),
        pytest.param("302000000", "Mario", "fuzzy", id="two-common-names-are-no-typo"),
        pytest.param("303000000", "Maria", "fuzzy", id="two-common-names-either-way"),
    ],
)
def test_a_typo_is_the_rarer_spelling_on_either_side(
    con: duckdb.DuckDBPyConnection, filed_tin: str, asked: str, level: str
) -> None:
    rows = _master_with_common_names()
    filed = next(row for row in rows if row.tin == filed_tin)
    fill_master(con, rows)
    query = query_for(filed, first_name=asked)
    assert _levels_over(con, query, tin=filed_tin)["given"] == level
