"""The SparkSession matching runs in: an existing one, or one made from the operator's settings."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from portcullis.matching.spark.functions import register_functions

DEFAULT_MASTER = "local[2]"


@dataclass(frozen=True, slots=True)
class SparkSettings:
    """Where Spark runs and where the Spark index lives (workspace `[spark]` settings)."""

    master: str = DEFAULT_MASTER
    # A directory every executor can read: the exported master and the index, as Parquet.
    index_dir: Path | None = None
    conf: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> SparkSettings:
        """Return settings from a `[spark]` table: master, index_dir and a `conf` table."""
        index_dir = section.get("index_dir")
        conf = section.get("conf", {})
        return cls(
            master=str(section.get("master", DEFAULT_MASTER)),
            index_dir=Path(index_dir) if index_dir else None,
            conf={str(k): str(v) for k, v in dict(conf).items()},
        )


def spark_session(settings: SparkSettings | None = None) -> SparkSession:
    """Return the active SparkSession, else a new one on `settings.master`, functions registered."""
    spark = SparkSession.getActiveSession()
    if spark is None:
        settings = settings or SparkSettings()
        builder = SparkSession.builder.master(settings.master).appName("portcullis-matching")
        if settings.master.startswith("local"):
            # Local workers run this very interpreter, so they import the same portcullis.
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            builder = builder.config("spark.ui.enabled", "false")
            builder = builder.config("spark.ui.showConsoleProgress", "false")
            builder = builder.config("spark.sql.shuffle.partitions", "4")
        for key, value in settings.conf.items():
            builder = builder.config(key, value)
        spark = builder.getOrCreate()
    register_functions(spark)
    return spark
