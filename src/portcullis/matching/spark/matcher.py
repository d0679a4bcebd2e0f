"""Batch matching on Spark: the shared scoring SQL in the Spark dialect, the shared decision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame, Row, SparkSession

from portcullis.matching.dialect import SPARK
from portcullis.matching.matcher import query_key_table
from portcullis.matching.params import MatchParams
from portcullis.matching.query import MatchQuery, profile_query
from portcullis.matching.result import MatchResult
from portcullis.matching.rows import query_table
from portcullis.matching.score import (
    candidates_sql,
    levels_sql,
    pairs_sql,
    queries_sql,
    top_sql,
    weights_sql,
)
from portcullis.matching.spark.index import register_index
from portcullis.matching.verdicts import results_by_query

_QUERIES = "spark_batch_queries"
_QUERY_KEYS = "spark_batch_query_keys"
_PAIRS = "spark_batch_pairs"


@dataclass
class SparkMatcher:
    """Matches batches of queries on Spark against a Spark index, with one model version."""

    spark: SparkSession
    params: MatchParams

    @classmethod
    def open(cls, spark: SparkSession, index_dir: Path | str, params: MatchParams) -> SparkMatcher:
        """Return a matcher reading the index tables written to `index_dir`."""
        register_index(spark, index_dir)
        return cls(spark=spark, params=params)

    def match_batch(self, queries: Sequence[MatchQuery]) -> list[MatchResult]:
        """Return verdicts for many queries, in the order given, decided as DuckDB decides."""
        if not queries:
            return []
        rows = [_plain(row) for row in self.top_candidates(queries).collect()]
        return results_by_query(queries, rows, self.params)

    def top_candidates(self, queries: Sequence[MatchQuery]) -> DataFrame:
        """Return each query's best few scored candidates (qid = position), best first."""
        profiles = [profile_query(q) for q in queries]
        table = query_table(profiles, [q.tax_years for q in queries])
        self.spark.createDataFrame(table).createOrReplaceTempView(_QUERIES)
        keys = query_key_table(profiles, signed=True)
        self.spark.createDataFrame(keys).createOrReplaceTempView(_QUERY_KEYS)
        self.spark.sql(pairs_sql(_QUERY_KEYS, SPARK)).createOrReplaceTempView(_PAIRS)
        levels = levels_sql(queries_sql(_QUERIES), candidates_sql(_PAIRS), SPARK)
        return self.spark.sql(top_sql(weights_sql(self.params, levels)))


def _plain(row: Row) -> dict[str, Any]:
    # Structs arrive as Rows; the decision and the evidence read plain dicts, as from DuckDB.
    values: dict[str, Any] = row.asDict(recursive=True)
    return values
