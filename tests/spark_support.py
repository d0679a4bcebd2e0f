"""One local SparkSession for the whole test run, or a clear skip when Spark cannot start here."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

NO_JAVA = "Spark tests need a Java runtime (17 or newer) on PATH; none found, so they are skipped"


def local_spark() -> Iterator[SparkSession]:
    """Yield a SparkSession on local[2] with matching's functions registered; stop it after."""
    if shutil.which("java") is None:
        pytest.skip(NO_JAVA)
    pytest.importorskip("pyspark", reason="Spark tests need pyspark (the [spark] extra)")
    from portcullis.matching.spark import SparkSettings, spark_session

    settings = SparkSettings(
        master="local[2]",
        conf={"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2"},
    )
    spark = spark_session(settings)
    spark.sparkContext.setLogLevel("ERROR")
    yield spark
    spark.stop()
