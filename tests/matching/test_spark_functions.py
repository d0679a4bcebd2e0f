"""The string measures registered in Spark give DuckDB's built-in values."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyspark.sql import SparkSession

from portcullis.matching.dialect import DUCKDB, SPARK, Dialect
from portcullis.matching.spark import functions
from portcullis.matching.spark.functions import (
    damerau_levenshtein,
    jaro_winkler_each,
    jaro_winkler_similarity,
)

# Names after normalisation: lower-case ASCII letters; a small alphabet makes near pairs common.
NAMES = st.text(alphabet="abcehijlmnorst", min_size=1, max_size=12)


def duckdb_measures(left: str, right: str) -> tuple[int, float]:
    row = duckdb.execute(
        "SELECT damerau_levenshtein($1, $2), jaro_winkler_similarity($1, $2)", [left, right]
    ).fetchone()
    assert row is not None
    return int(row[0]), float(row[1])


@settings(max_examples=300, deadline=None)
@given(NAMES, NAMES)
def test_measures_equal_duckdb(left: str, right: str) -> None:
    assert (damerau_levenshtein(left, right), jaro_winkler_similarity(left, right)) == (
        duckdb_measures(left, right)
    )


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("jessica", "jesica", id="deletion"),
        pytest.param("maria", "mario", id="substitution"),
        pytest.param("19710812", "19710821", id="adjacent-swap"),
        pytest.param("ca", "abc", id="transposition-then-insertion"),
        pytest.param("martha", "marhta", id="winkler-classic"),
    ],
)
def test_named_pairs_equal_duckdb(left: str, right: str) -> None:
    assert (damerau_levenshtein(left, right), jaro_winkler_similarity(left, right)) == (
        duckdb_measures(left, right)
    )


def test_nulls_stay_null_and_lists_go_element_by_element() -> None:
    assert damerau_levenshtein(None, "a") is None
    assert jaro_winkler_similarity("a", None) is None
    assert jaro_winkler_each("main", ["main", None, "maine"]) == [
        1.0,
        None,
        jaro_winkler_similarity("main", "maine"),
    ]
    assert jaro_winkler_each("main", None) == []


# Pairs through each engine's own SQL, spelled by its dialect: the first is one on which Spark's
# built-in Jaro-Winkler (since 4.3) and DuckDB's differ, so a registered measure shadowed by the
# built-in fails here.
SQL_PAIRS = [
    ("marieclaude", "mariecarmel"),
    ("martha", "marhta"),
    ("jessica", "jesica"),
    ("dwayne", "duane"),
    ("raymond", "raymonde"),
    ("19710812", "19710821"),
]


def _measures_sql(dialect: Dialect, pairs: list[tuple[str, str]]) -> str:
    rows = ", ".join(f"('{left}', '{right}')" for left, right in pairs)
    return (
        f"SELECT l, r, {dialect.edit_distance('l', 'r')} AS d, {dialect.similarity('l', 'r')} AS s"
        f" FROM VALUES {rows} AS p(l, r) ORDER BY l, r"
    )


def test_spark_sql_gives_duckdb_values(spark: SparkSession) -> None:
    on_duckdb = duckdb.execute(_measures_sql(DUCKDB, SQL_PAIRS)).fetchall()
    on_spark = [tuple(row) for row in spark.sql(_measures_sql(SPARK, SQL_PAIRS)).collect()]
    assert on_spark == on_duckdb


def test_a_name_spark_has_built_in_is_refused(
    spark: SparkSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(functions, "SPARK_SIMILARITY", "jaro_winkler_similarity")
    with pytest.raises(RuntimeError, match="a function of Spark's own"):
        functions.register_functions(spark)
