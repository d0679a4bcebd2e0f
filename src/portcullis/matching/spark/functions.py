"""The string measures DuckDB has built in, registered in Spark under DuckDB's names.

Spark has neither Damerau-Levenshtein distance nor Jaro-Winkler similarity; rapidfuzz computes
both as DuckDB does (unrestricted Damerau-Levenshtein; Jaro-Winkler with prefix weight 0.1), and
a test holds the two engines' values equal.
"""

from __future__ import annotations

from pyspark.sql import SparkSession
from pyspark.sql.types import ArrayType, DoubleType, IntegerType
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler


def damerau_levenshtein(left: str | None, right: str | None) -> int | None:
    """Return the edit distance with adjacent transpositions, NULL when either side is."""
    if left is None or right is None:
        return None
    return int(DamerauLevenshtein.distance(left, right))


def jaro_winkler_similarity(left: str | None, right: str | None) -> float | None:
    """Return the Jaro-Winkler similarity in [0, 1], NULL when either side is."""
    if left is None or right is None:
        return None
    return float(JaroWinkler.similarity(left, right))


def jaro_winkler_each(left: str | None, rights: list[str | None] | None) -> list[float | None]:
    """Return the similarity of `left` to each of `rights` (Spark runs no UDF in a lambda)."""
    return [jaro_winkler_similarity(left, right) for right in rights or ()]


def register_functions(spark: SparkSession) -> None:
    """Register the measures in `spark` so the generated SQL can call them by name."""
    spark.udf.register("damerau_levenshtein", damerau_levenshtein, IntegerType())
    spark.udf.register("jaro_winkler_similarity", jaro_winkler_similarity, DoubleType())
    spark.udf.register("jaro_winkler_each", jaro_winkler_each, ArrayType(DoubleType()))
