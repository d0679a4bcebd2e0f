"""The string measures DuckDB has built in, registered in Spark under the dialect's names.

rapidfuzz computes both as DuckDB does (unrestricted Damerau-Levenshtein; Jaro-Winkler with
prefix weight 0.1), and tests hold the two engines' values equal. Spark's own
`jaro_winkler_similarity` (since 4.3) gives other values and would win over a registered function
of that name, so registration refuses any name Spark already has.
"""

from __future__ import annotations

from pyspark.sql import SparkSession
from pyspark.sql.types import ArrayType, DoubleType, IntegerType
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from portcullis.matching.dialect import SPARK_EDIT_DISTANCE, SPARK_SIMILARITY, SPARK_SIMILARITY_EACH


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


# A pair on which Spark's built-in Jaro-Winkler and DuckDB's disagree (0.894 against 0.905).
_PROBE = ("marieclaude", "mariecarmel")


def register_functions(spark: SparkSession) -> None:
    """Register the measures in `spark` so the generated SQL can call them by name.

    Each is then called once through Spark SQL on a probe pair: a name that resolved to a
    function of Spark's own instead would give other values, and is refused.
    """
    spark.udf.register(SPARK_EDIT_DISTANCE, damerau_levenshtein, IntegerType())
    spark.udf.register(SPARK_SIMILARITY, jaro_winkler_similarity, DoubleType())
    spark.udf.register(SPARK_SIMILARITY_EACH, jaro_winkler_each, ArrayType(DoubleType()))
    left, right = _PROBE
    row = spark.sql(
        f"SELECT {SPARK_EDIT_DISTANCE}('{left}', '{right}') AS d,"
        f" {SPARK_SIMILARITY}('{left}', '{right}') AS s,"
        f" {SPARK_SIMILARITY_EACH}('{left}', array('{right}')) AS e"
    ).first()
    expected = (damerau_levenshtein(left, right), jaro_winkler_similarity(left, right))
    found = None if row is None else (row["d"], row["s"])
    if found != expected or row is None or list(row["e"]) != [expected[1]]:
        raise RuntimeError(
            f"Spark SQL gives {found} for the string measures on {_PROBE}, not {expected}:"
            " a function of Spark's own has the registered name"
        )
