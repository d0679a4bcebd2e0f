"""The match index on Spark: the DuckDB index's tables, built from the master as Parquet.

The normalised fields come from the same Python functions (normalise.STAGES, run on the
executors over each column's distinct values), the blocking keys from the same specification
(keys.keys_sql in the Spark dialect), the nested address history and the name frequencies in
the same shape, so the shared scoring SQL reads the same rows on either engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import ArrayType, DataType, StringType, StructField, StructType

from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.master.schema import MASTER_TABLE
from portcullis.matching.dialect import SPARK
from portcullis.matching.errors import IndexMissing
from portcullis.matching.keys import keys_sql
from portcullis.matching.normalise import STAGES, ColumnStage, staged_rows_sql
from portcullis.matching.tables import (
    ADDRESS_STRUCT_FIELDS,
    ADDRESS_VALUE_FIELDS,
    ADDRESSES,
    FORMER_SURNAMES,
    GIVEN_FREQ_TABLE,
    IDENTITY_FIELDS,
    INDEX_LAYOUT,
    KEY_TABLE,
    META_TABLE,
    RAW_ADDRESS,
    TAXPAYER_TABLE,
)
from portcullis.matching.train import data_fingerprint

MASTER_PARQUET = "master.parquet"
INDEX_TABLES = (TAXPAYER_TABLE, KEY_TABLE, GIVEN_FREQ_TABLE, META_TABLE)
_STAGE_ROW = "spark_stage_row"
_LATEST = "spark_stage_latest"
_IDENTITY = ", ".join(f.name for f in IDENTITY_FIELDS)
_VALUES = ", ".join(ADDRESS_VALUE_FIELDS)
_SPARK_TYPES: dict[pa.DataType, DataType] = {
    pa.string(): StringType(),
    pa.list_(pa.string()): ArrayType(StringType()),
}


def export_master(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    """Write the master's contract columns to one Parquet file at `path` and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = ", ".join(MASTER_COLUMNS)
    con.execute(f"COPY (SELECT {columns} FROM {MASTER_TABLE}) TO '{path}' (FORMAT parquet)")
    return path


def build_spark_index(spark: SparkSession, master: Path | str, index_dir: Path | str) -> None:
    """Build the index tables from the master Parquet at `master` into `index_dir` (replaced)."""
    spark.read.parquet(str(master)).createOrReplaceTempView(MASTER_TABLE)
    for stage in STAGES:
        _stage_values(spark, stage).createOrReplaceTempView(stage.table)
    raw = ", ".join(f"m.{name} AS raw_{name}" for name in RAW_ADDRESS)
    kept = f"m.tin, CAST(m.tin AS BIGINT) AS tin_n, m.tax_year, m.date_of_birth AS dob, {raw}"
    # The staged rows and the latest identities feed every table below: kept, not recomputed
    # (recomputing them would normalise every distinct value in Python again each time).
    staged = spark.sql(staged_rows_sql(kept)).persist(StorageLevel.MEMORY_AND_DISK)
    staged.createOrReplaceTempView(_STAGE_ROW)
    latest = spark.sql(_latest_sql()).persist(StorageLevel.MEMORY_AND_DISK)
    latest.createOrReplaceTempView(_LATEST)
    try:
        _write_tables(spark, Path(index_dir))
    finally:
        latest.unpersist()
        staged.unpersist()


def _write_tables(spark: SparkSession, root: Path) -> None:
    tables = {
        TAXPAYER_TABLE: spark.sql(_taxpayer_sql()),
        KEY_TABLE: spark.sql(_key_sql()),
    }
    # Positions are the TINs as numbers: unique without a global sort, which Spark would run
    # on one task. The tables are plain Parquet; bucketing them is the cluster plan's next step.
    tables[TAXPAYER_TABLE].write.mode("overwrite").parquet(str(root / TAXPAYER_TABLE))
    tables[KEY_TABLE].write.mode("overwrite").parquet(str(root / KEY_TABLE))
    taxpayers = spark.read.parquet(str(root / TAXPAYER_TABLE))
    taxpayers.createOrReplaceTempView("spark_built_taxpayer")
    given = spark.sql("SELECT DISTINCT fn, fn_tf FROM spark_built_taxpayer WHERE fn IS NOT NULL")
    given.write.mode("overwrite").parquet(str(root / GIVEN_FREQ_TABLE))
    meta = spark.sql(
        "SELECT current_timestamp() AS built_at, count(*) AS taxpayers,"
        f" {INDEX_LAYOUT} AS layout FROM spark_built_taxpayer"
    )
    meta.write.mode("overwrite").parquet(str(root / META_TABLE))


def current_spark_index(spark: SparkSession, con: duckdb.DuckDBPyConnection, root: Path) -> Path:
    """Return the Spark index of the master as indexed in `con`, building it when missing.

    Each load of the master has its own folder under `root`, named by the index fingerprint, so
    a Spark index of an earlier load is never read. The meta table is written last: its
    presence says the folder is complete; a folder of another layout is built again.
    """
    target = root / data_fingerprint(con)
    done = (target / META_TABLE / "_SUCCESS").exists()
    if not done or spark_index_layout(spark, target) != INDEX_LAYOUT:
        master = export_master(con, target / MASTER_PARQUET)
        build_spark_index(spark, master, target)
    return target


def spark_index_layout(spark: SparkSession, index_dir: Path | str) -> int | None:
    """Return the layout the Spark index in `index_dir` was built with (None before layouts)."""
    meta = spark.read.parquet(str(Path(index_dir) / META_TABLE))
    if "layout" not in meta.columns:
        return None
    row = meta.select("layout").first()
    return None if row is None else int(row["layout"])


def register_index(spark: SparkSession, index_dir: Path | str) -> None:
    """Register the index tables of `index_dir` as views, refusing an index of another layout."""
    if spark_index_layout(spark, index_dir) != INDEX_LAYOUT:
        raise IndexMissing(
            f"the Spark match index in {index_dir} is of an earlier layout: build it again"
        )
    for table in INDEX_TABLES:
        spark.read.parquet(str(Path(index_dir) / table)).createOrReplaceTempView(table)


def _stage_values(spark: SparkSession, stage: ColumnStage) -> DataFrame:
    schema = StructType(
        [StructField("raw", StringType())]
        + [StructField(f.name, _SPARK_TYPES[f.type]) for f in stage.fields]
    )
    normalise = stage.normalise

    def normalised(rows: Iterable[Any]) -> Iterable[tuple[Any, ...]]:
        for row in rows:
            parts = normalise(row[0])
            yield (row[0], *(list(p) if isinstance(p, tuple) else p for p in parts))

    values = spark.sql(f"SELECT DISTINCT {stage.column} FROM {MASTER_TABLE}")
    return spark.createDataFrame(values.rdd.mapPartitions(normalised), schema)


def _latest_sql() -> str:
    # The latest return gives the identity; frequencies count taxpayers by that identity.
    return f"""WITH latest AS (
        SELECT * FROM (
            SELECT tin, tin_n, {_IDENTITY},
                row_number() OVER (PARTITION BY tin_n ORDER BY tax_year DESC) AS latest_rank
            FROM {_STAGE_ROW})
        WHERE latest_rank = 1),
    total AS (SELECT count(*) AS taxpayers FROM latest)
    SELECT tin_n AS pos, tin, tin_n, {_IDENTITY},
        count(*) OVER (PARTITION BY fn) / total.taxpayers AS fn_tf,
        count(*) OVER (PARTITION BY ln) / total.taxpayers AS ln_tf
    FROM latest CROSS JOIN total"""


def _taxpayer_sql() -> str:
    address = SPARK.struct({name: name for name in ADDRESS_STRUCT_FIELDS})
    former = "CASE WHEN s.ln IS NOT NULL AND NOT (s.ln <=> l.ln) THEN s.ln END"
    return f"""WITH places AS (
        SELECT tin_n, {_VALUES}, array_sort(collect_list(tax_year)) AS years,
            max(tax_year) AS last_year
        FROM {_STAGE_ROW} GROUP BY tin_n, {_VALUES}),
    history AS (
        SELECT tin_n,
            transform(array_sort(collect_list(named_struct('last_year', last_year,
                'address', {address}))), x -> x.address) AS {ADDRESSES}
        FROM places GROUP BY tin_n),
    former AS (
        SELECT s.tin_n, {SPARK.sorted_distinct(former)} AS names
        FROM {_STAGE_ROW} s JOIN {_LATEST} l ON l.tin_n = s.tin_n GROUP BY s.tin_n)
    SELECT l.*, former.names AS {FORMER_SURNAMES}, history.{ADDRESSES}
    FROM {_LATEST} l JOIN history ON history.tin_n = l.tin_n
    JOIN former ON former.tin_n = l.tin_n"""


def _key_sql() -> str:
    return f"""WITH keyed AS (
        SELECT DISTINCT t.pos, s.fn, s.ln_tokens, s.dob, s.house, s.zip5
        FROM {_STAGE_ROW} s JOIN {_LATEST} t ON t.tin_n = s.tin_n),
    distinct_keys AS (SELECT owner AS pos, key_hash, cap FROM ({keys_sql("keyed", "pos", SPARK)})),
    kept AS (
        SELECT key_hash FROM distinct_keys GROUP BY key_hash HAVING count(*) <= any_value(cap))
    SELECT d.key_hash, d.pos FROM distinct_keys d
    LEFT SEMI JOIN kept ON kept.key_hash = d.key_hash"""
