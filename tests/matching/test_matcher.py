"""The matcher on a household that holds every danger: Jr/Sr, twins, a spouse, a non-filer."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import duckdb
import pytest

from portcullis.matching import IndexMissing, Matcher, MatchQuery, default_params

from .households import Row, fill_master, filler, query_for

SENIOR = Row(
    "100000001", "Robert", middle_name="James", name_suffix="Sr", date_of_birth=dt.date(1950, 2, 10)
)
JUNIOR = Row(
    "100000002", "Robert", middle_name="James", name_suffix="Jr", date_of_birth=dt.date(1975, 6, 1)
)
MARY = Row("100000003", "Mary", date_of_birth=dt.date(1952, 8, 8))
EMILY = Row("100000004", "Emily", date_of_birth=dt.date(2001, 9, 9))
ETHAN = Row("100000005", "Ethan", date_of_birth=dt.date(2001, 9, 9))
LUCIA_OLD = Row(
    "200000001",
    "Lucía",
    last_name="García López",
    date_of_birth=dt.date(1985, 1, 1),
    street="3 Old Road",
    city="Austin",
    state="TX",
    zip="78702",
    tax_year=2019,
)
LUCIA = Row(
    "200000001",
    "Lucía",
    last_name="García López",
    date_of_birth=dt.date(1985, 1, 1),
    street="5 Elm Avenue",
    unit="Apt 2",
    city="Austin",
    state="TX",
    zip="78701",
    tax_year=2023,
)
JOSE = Row(
    "300000001",
    "José",
    last_name="Hernández",
    date_of_birth=dt.date(1990, 7, 7),
    street="40 Mesa Dr",
    city="El Paso",
    state="TX",
    zip="79901",
)
MUHAMMAD = Row(
    "300000002",
    "Muhammad",
    last_name="Haddad",
    date_of_birth=dt.date(1984, 3, 9),
    street="7 Cedar Ct",
    city="Dearborn",
    state="MI",
    zip="48126",
)
HOUSEHOLD = [SENIOR, JUNIOR, MARY, EMILY, ETHAN, LUCIA_OLD, LUCIA, JOSE, MUHAMMAD]


@pytest.fixture(scope="module")
def matcher() -> Iterator[Matcher]:
    """Return a matcher over the household plus a few hundred unrelated taxpayers."""
    connection = duckdb.connect()
    fill_master(connection, HOUSEHOLD + filler(300))
    yield Matcher.open(connection, default_params())
    connection.close()


CASES = [
    pytest.param(query_for(MARY), "match", MARY.tin, id="exact"),
    pytest.param(
        query_for(JUNIOR, first_name="Bob", name_suffix=None), "match", JUNIOR.tin, id="jr-by-dob"
    ),
    pytest.param(
        query_for(SENIOR, name_suffix=None, middle_name=None), "match", SENIOR.tin, id="sr-by-dob"
    ),
    pytest.param(
        query_for(SENIOR, name_suffix=None, date_of_birth=None),
        "ambiguous",
        None,
        id="jr-sr-no-dob",
    ),
    pytest.param(
        query_for(JUNIOR, date_of_birth=None), "review", JUNIOR.tin, id="jr-by-suffix-is-reviewed"
    ),
    pytest.param(query_for(EMILY), "match", EMILY.tin, id="twin-by-name"),
    pytest.param(
        query_for(ETHAN, date_of_birth=None), "review", ETHAN.tin, id="twin-without-dob-is-reviewed"
    ),
    pytest.param(
        query_for(MARY, first_name="Peter", date_of_birth=dt.date(1980, 1, 1)),
        "no_match",
        None,
        id="non-filer-relative",
    ),
    pytest.param(
        query_for(MARY, first_name="Peter", tin=MARY.tin),
        "no_match",
        None,
        id="tin-cannot-rescue-wrong-name",
    ),
    pytest.param(query_for(MARY, tin="999999999"), "review", MARY.tin, id="requester-tin-differs"),
    pytest.param(query_for(MARY, tin=MARY.tin), "match", MARY.tin, id="requester-tin-agrees"),
    pytest.param(
        query_for(LUCIA, first_name="Lucia", last_name="Garcia", unit=None),
        "match",
        LUCIA.tin,
        id="paternal-surname-no-accents",
    ),
    pytest.param(
        query_for(LUCIA_OLD, years=frozenset({2022, 2023})), "match", LUCIA.tin, id="stale-address"
    ),
    pytest.param(
        query_for(LUCIA, years=frozenset({2025})), "no_match", None, id="nothing-in-scope"
    ),
    pytest.param(
        query_for(JOSE, first_name="Pepe", last_name="Hernandez", street="12 Plaza St"),
        "match",
        JOSE.tin,
        id="pepe-is-jose",
    ),
    pytest.param(
        # At Jose's own address, a "Pepe" of his birth date could be a twin who does not file.
        query_for(JOSE, first_name="Pepe", last_name="Hernandez"),
        "review",
        JOSE.tin,
        id="pepe-at-jose-household-could-be-a-twin",
    ),
    pytest.param(
        # One name in another romanisation is no twin's name: released at his own household.
        query_for(MUHAMMAD, first_name="Mohammed"),
        "match",
        MUHAMMAD.tin,
        id="mohammed-is-muhammad-at-his-household",
    ),
    pytest.param(
        query_for(LUCIA, first_name="García-López", last_name="Lucía"),
        "match",
        LUCIA.tin,
        id="names-swapped-hyphenated-surname",
    ),
    pytest.param(
        query_for(JOSE, first_name="Hernández", last_name="José"),
        "match",
        JOSE.tin,
        id="names-swapped",
    ),
    pytest.param(
        query_for(JOSE, date_of_birth=dt.date(1990, 7, 8)), "match", JOSE.tin, id="dob-day-typo"
    ),
]


@pytest.mark.parametrize(("query", "verdict", "tin"), CASES)
def test_verdict(matcher: Matcher, query: MatchQuery, verdict: str, tin: str | None) -> None:
    result = matcher.match_one(query)
    assert (result.verdict, result.tin) == (verdict, tin), result.evidence["reason"]


def test_batch_gives_the_same_results_as_one_by_one(matcher: Matcher) -> None:
    queries: list[MatchQuery] = [case.values[0] for case in CASES]  # type: ignore[misc]
    batch = matcher.match_batch(queries)
    assert batch == [matcher.match_one(query) for query in queries]


def test_release_address_is_the_latest_in_scope_as_filed(matcher: Matcher) -> None:
    result = matcher.match_one(query_for(LUCIA_OLD, years=frozenset({2019, 2023})))
    assert result.address is not None
    assert (result.address.street, result.address.unit, result.address.tax_year) == (
        "5 Elm Avenue",
        "Apt 2",
        2023,
    )
    older = matcher.match_one(query_for(LUCIA_OLD, years=frozenset({2019, 2020})))
    assert older.address is not None and older.address.street == "3 Old Road"


def test_only_match_and_review_carry_an_address(matcher: Matcher) -> None:
    for case in CASES:
        result = matcher.match_one(case.values[0])  # type: ignore[arg-type]
        assert (result.address is not None) == (result.verdict in ("match", "review"))


def test_evidence_explains_the_decision(matcher: Matcher) -> None:
    result = matcher.match_one(query_for(JUNIOR, name_suffix=None))
    evidence = json.loads(json.dumps(result.evidence))
    assert evidence["best"]["fields"]["dob"] == {
        "level": "exact",
        "weight": pytest.approx(evidence["best"]["fields"]["dob"]["weight"]),
    }
    assert evidence["runner_up"]["tin"] == SENIOR.tin
    assert evidence["runner_up"]["fields"]["dob"]["level"] == "disagree"
    assert evidence["candidate_count"] >= 2
    assert "LD" in evidence["best"]["blocking_keys"]
    assert result.model_version == default_params().version
    assert evidence["best"]["total"] == pytest.approx(result.match_weight, abs=1e-3)


def test_common_surname_needs_more_evidence_than_rare(matcher: Matcher) -> None:
    common = matcher.match_one(query_for(MARY))
    rare = matcher.match_one(query_for(JOSE))
    tf_common = common.evidence["best"]["fields"]["surname"]["tf_adjustment"]
    tf_rare = rare.evidence["best"]["fields"]["surname"]["tf_adjustment"]
    assert tf_common < tf_rare


def test_open_without_index_fails() -> None:
    with duckdb.connect() as connection, pytest.raises(IndexMissing):
        Matcher.open(connection, default_params())


def test_open_refuses_an_index_of_an_earlier_layout() -> None:
    with duckdb.connect() as connection:
        fill_master(connection, [MARY])
        connection.execute("UPDATE match_meta SET layout = layout - 1")
        with pytest.raises(IndexMissing, match="out of date"):
            Matcher.open(connection, default_params())


def test_open_refuses_an_index_from_another_engine_version() -> None:
    with duckdb.connect() as connection:
        fill_master(connection, [MARY])
        connection.execute("UPDATE match_meta SET engine_version = '0.0.1'")
        with pytest.raises(IndexMissing, match="out of date"):
            Matcher.open(connection, default_params())
