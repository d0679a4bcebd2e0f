"""The Spark engine against the DuckDB engine: the same verdicts, taxpayers and weights per item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from bench.matching.data import load_population, matchable_items
from pyspark.sql import SparkSession

from portcullis.matching import IndexMissing, Matcher, MatchResult, build_index, default_params
from portcullis.matching.spark import SparkMatcher, build_spark_index, export_master
from portcullis.matching.tables import META_TABLE
from portcullis.synth import generate_population, generate_request
from tests.matching.households import Row, fill_master, filler, query_for
from tests.matching.test_matcher import CASES, HOUSEHOLD, JOSE, LUCIA, MARY, SENIOR


def spark_matcher(spark: SparkSession, con: duckdb.DuckDBPyConnection, tmp: Path) -> SparkMatcher:
    master = export_master(con, tmp / "master.parquet")
    build_spark_index(spark, master, tmp / "index")
    return SparkMatcher.open(spark, tmp / "index", default_params())


def assert_same(duck: Sequence[MatchResult], spark: Sequence[MatchResult]) -> None:
    assert len(duck) == len(spark)
    for one, other in zip(duck, spark, strict=True):
        assert (one.key, one.verdict, one.tin, one.address) == (
            other.key,
            other.verdict,
            other.tin,
            other.address,
        ), one.key
        assert one.match_weight == pytest.approx(other.match_weight, abs=1e-9), one.key
        assert one.score == pytest.approx(other.score, abs=1e-9), one.key
        assert _levels(one) == _levels(other), one.key
        assert one.evidence["candidate_count"] == other.evidence["candidate_count"], one.key


def _levels(result: MatchResult) -> list[object]:
    found = []
    for role in ("best", "runner_up"):
        summary = result.evidence[role]
        if summary is None:
            found.append(None)
            continue
        fields = summary["fields"]
        found.append(
            (
                summary["tin"],
                sorted(summary["blocking_keys"]),
                summary["address_tax_year_in_scope"],
                {name: (f["level"], round(f["weight"], 6)) for name, f in fields.items()},
            )
        )
    return found


HARD = [
    *(replace(case.values[0], key=str(case.id)) for case in CASES),  # type: ignore[type-var]
    query_for(MARY, key="street-typo", street="12 Oak Stret"),
    query_for(MARY, key="other-house", street="14 Oak Street"),
    query_for(MARY, key="moved-zip", street="1 Pine Rd", zip="62702"),
    query_for(SENIOR, key="dob-transposed", date_of_birth=dt.date(1950, 10, 2)),
    query_for(SENIOR, key="dob-slip", date_of_birth=dt.date(1905, 2, 10)),
    query_for(JOSE, key="jose-initial", first_name="J"),
    query_for(JOSE, key="fuzzy-surname", last_name="Hernandes"),
    query_for(LUCIA, key="maternal-only", last_name="López", unit=None),
    query_for(LUCIA, key="hyphenated", last_name="García-López"),
    query_for(MARY, key="no-address", street=None, city=None, zip=None, state=None),
]


@pytest.fixture(scope="module")
def household(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    # A woman filed under her maiden name in 2021 and her married name since: a former surname.
    maiden = Row("400000001", "Ana", last_name="Reyes", date_of_birth=dt.date(1988, 5, 5))
    married = replace(maiden, last_name="Cole", street="9 Birch Ln", tax_year=2023)
    fill_master(con, [*HOUSEHOLD, replace(maiden, tax_year=2021), married, *filler(300)])
    return con


@pytest.fixture(scope="module")
def household_on_spark(
    spark: SparkSession,
    household: duckdb.DuckDBPyConnection,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[SparkMatcher, Path]:
    tmp = tmp_path_factory.mktemp("household-spark")
    return spark_matcher(spark, household, tmp), tmp


def test_household_hard_cases_agree(
    household: duckdb.DuckDBPyConnection, household_on_spark: tuple[SparkMatcher, Path]
) -> None:
    maiden = Row("400000001", "Ana", last_name="Reyes", date_of_birth=dt.date(1988, 5, 5))
    queries = [
        *HARD,
        query_for(maiden, key="former-surname", years=frozenset({2022, 2023})),
    ]
    duck = Matcher.open(household, default_params()).match_batch(queries)
    on_spark = household_on_spark[0].match_batch(queries)
    assert_same(duck, on_spark)
    verdicts = {r.key: r.verdict for r in on_spark}
    # The engines agree on the hard cases, and the cases do reach every verdict.
    assert set(verdicts.values()) == {"match", "review", "ambiguous", "no_match"}
    assert verdicts["former-surname"] == "match"
    variant = next(r for r in on_spark if r.key == "mohammed-is-muhammad-at-his-household")
    assert variant.evidence["best"]["fields"]["given"]["level"] == "variant"


def test_synthetic_request_agrees_item_for_item(spark: SparkSession, tmp_path: Path) -> None:
    population = generate_population(2_000, seed=15)
    batch = generate_request(population, 400, seed=15, adversarial_share=0.3)
    queries, truths = matchable_items(batch.items, batch.truth)
    con = load_population(tmp_path / "master.duckdb", population)
    build_index(con)
    duck = Matcher.open(con, default_params()).match_batch(queries)
    on_spark = spark_matcher(spark, con, tmp_path).match_batch(queries)
    assert_same(duck, on_spark)
    kinds = {t.kind for t in truths}
    assert len(kinds) >= 5, kinds
    assert sum(r.verdict == "match" for r in on_spark) > len(queries) // 3


def test_keys_of_the_spark_index_are_the_duckdb_keys(
    spark: SparkSession,
    household: duckdb.DuckDBPyConnection,
    household_on_spark: tuple[SparkMatcher, Path],
) -> None:
    tmp_path = household_on_spark[1]
    duck = household.execute(
        "SELECT k.key_hash, t.tin FROM match_key k JOIN match_taxpayer t USING (pos)"
    ).fetchall()
    rows = spark.read.parquet(str(tmp_path / "index" / "match_key")).join(
        spark.read.parquet(str(tmp_path / "index" / "match_taxpayer")), "pos"
    )
    on_spark = {(r["key_hash"] % (1 << 64), r["tin"]) for r in rows.collect()}
    assert on_spark == {(int(h), tin) for h, tin in duck}


def test_an_index_of_an_earlier_layout_is_refused(spark: SparkSession, tmp_path: Path) -> None:
    meta = tmp_path / "index" / META_TABLE
    meta.mkdir(parents=True)
    old = pa.table({"built_at": [dt.datetime(2026, 1, 1)], "taxpayers": [1]})
    pq.write_table(old, meta / "part-0.parquet")
    with pytest.raises(IndexMissing, match="earlier layout"):
        SparkMatcher.open(spark, tmp_path / "index", default_params())


def test_an_empty_batch_is_empty(household_on_spark: tuple[SparkMatcher, Path]) -> None:
    assert household_on_spark[0].match_batch([]) == []
