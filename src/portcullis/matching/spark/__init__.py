"""Batch matching on Apache Spark: the same SQL, weights and decisions as the DuckDB engine."""

from __future__ import annotations

from portcullis.matching.spark.index import build_spark_index, current_spark_index, export_master
from portcullis.matching.spark.matcher import SparkMatcher
from portcullis.matching.spark.session import SparkSettings, spark_session

__all__ = [
    "SparkMatcher",
    "SparkSettings",
    "build_spark_index",
    "current_spark_index",
    "export_master",
    "spark_session",
]
