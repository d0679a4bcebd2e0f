"""Properties that must hold for any taxpayer: self-match, stability, no release to a relative."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portcullis.matching import Matcher, MatchQuery, default_params

from .households import Row, fill_master, filler, query_for
from .test_matcher import EMILY, ETHAN, HOUSEHOLD, JOSE, JUNIOR, LUCIA, MARY, SENIOR

FILLER = filler(300)
_LETTERS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéíóúñü", min_size=2, max_size=10)
_NAMES = _LETTERS.map(str.capitalize)
_STREET_TYPES = st.sampled_from(["St", "Ave", "Rd"])
_SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def taxpayers(draw: st.DrawFn, tin: str = "900000001") -> Row:
    """Draw a taxpayer who lives away from the test household."""
    return Row(
        tin=tin,
        first_name=draw(_NAMES),
        middle_name=draw(st.none() | _NAMES),
        last_name=draw(_NAMES),
        name_suffix=draw(st.sampled_from([None, None, "Jr", "Sr", "III"])),
        date_of_birth=draw(st.dates(dt.date(1930, 1, 1), dt.date(2006, 12, 31))),
        street=f"{draw(st.integers(1, 9999))} {draw(_NAMES)} {draw(_STREET_TYPES)}",
        city="Lubbock",
        state="TX",
        zip=f"794{draw(st.integers(0, 99)):02d}",
        tax_year=draw(st.integers(2019, 2024)),
    )


@pytest.fixture(scope="module")
def connection() -> Iterator[duckdb.DuckDBPyConnection]:
    """Return one connection reused across examples; each example refills the master."""
    con = duckdb.connect()
    yield con
    con.close()


def match(
    con: duckdb.DuckDBPyConnection, rows: list[Row], query: MatchQuery
) -> tuple[str, str | None]:
    fill_master(con, rows)
    result = Matcher.open(con, default_params()).match_one(query)
    return result.verdict, result.tin


@_SETTINGS
@given(person=taxpayers())
def test_a_record_always_matches_itself(connection: duckdb.DuckDBPyConnection, person: Row) -> None:
    assert match(connection, [*FILLER, person], query_for(person)) == ("match", person.tin)


@_SETTINGS
@given(
    member=st.sampled_from([MARY, JUNIOR, SENIOR, EMILY, ETHAN, LUCIA, JOSE]), stranger=taxpayers()
)
def test_an_unrelated_taxpayer_never_turns_a_right_match_wrong(
    connection: duckdb.DuckDBPyConnection, member: Row, stranger: Row
) -> None:
    query = query_for(member)
    before = match(connection, [*HOUSEHOLD, *FILLER], query)
    after = match(connection, [*HOUSEHOLD, *FILLER, stranger], query)
    assert before == ("match", member.tin)
    assert after[0] != "match" or after == before


_PERTURBATIONS = st.fixed_dictionaries(
    {},
    optional={
        "date_of_birth": st.none(),
        "name_suffix": st.none(),
        "middle_name": st.none(),
        "unit": st.none(),
    },
)


@_SETTINGS
@given(
    member=st.sampled_from([MARY, JUNIOR, SENIOR, EMILY, ETHAN]),
    changes=_PERTURBATIONS,
    with_tin=st.booleans(),
)
def test_removing_the_true_taxpayer_never_releases_a_relative(
    connection: duckdb.DuckDBPyConnection, member: Row, changes: dict[str, None], with_tin: bool
) -> None:
    others = [row for row in HOUSEHOLD if row.tin != member.tin]
    query = query_for(member, tin=member.tin if with_tin else None)
    for name in changes:
        query = replace(query, **{name: None})  # type: ignore[arg-type]
    verdict, _ = match(connection, [*others, *FILLER], query)
    assert verdict != "match"
