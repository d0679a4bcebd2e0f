"""Run Splink 5 on prepared Parquet files; run by the bench scripts' --splink-python.

Usage: .venv/bin/python bench/matching/splink_run.py WORKDIR [duckdb | spark MASTER]
Reads WORKDIR/requests.parquet and WORKDIR/master.parquet, writes WORKDIR/splink_best.parquet
(per request: best and second-best master TIN by match probability) and WORKDIR/splink.json.
The backend is DuckDB unless `spark` is named, then Spark on MASTER (e.g. local[2]) with
Splink's own string-similarity functions from the jar it ships.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.backends.duckdb import DuckDBAPI
from splink.internals.database_api import DatabaseAPI


def comparisons() -> list[Any]:
    """Return the compared columns and how: the one definition the Splink peers share."""
    return [
        cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("last_name").configure(term_frequency_adjustments=True),
        cl.ExactMatch("middle_name"),
        cl.ExactMatch("name_suffix"),
        cl.DateOfBirthComparison("dob", input_is_string=True),
        cl.LevenshteinAtThresholds("street", [1, 3]),
        cl.ExactMatch("zip"),
        cl.ExactMatch("city"),
    ]


def blocking_rules() -> list[Any]:
    """Return the blocking rules that generate the candidate pairs Splink scores."""
    return [
        block_on("last_name", "dob"),
        block_on("first_name", "dob"),
        block_on("first_name", "last_name"),
        block_on("first_name", "last_name", "zip"),
        block_on("last_name", "house", "zip"),
        block_on("dob", "zip"),
    ]


def train(linker: Linker) -> None:
    """Estimate the prior, u by random sampling and m by expectation maximisation."""
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "dob")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "last_name")
    )


def spark_api(master: str, work: Path) -> tuple[DatabaseAPI, Any, Any]:
    """Return Splink's Spark backend on `master` and the two inputs read as Spark frames."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import SparkAPI, similarity_jar_location

    spark = (
        SparkSession.builder.master(master)
        .appName("splink-peer")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", "8g")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(str(work / "spark-checkpoints"))
    api = SparkAPI(spark_session=spark)
    return (
        api,
        spark.read.parquet(str(work / "requests.parquet")),
        spark.read.parquet(str(work / "master.parquet")),
    )


def main() -> None:
    """Train Splink, predict, keep the two best candidates per request, record timings."""
    work = Path(sys.argv[1])
    backend = sys.argv[2] if len(sys.argv) > 2 else "duckdb"
    started = time.perf_counter()
    db_api: DatabaseAPI
    if backend == "spark":
        db_api, requests, master = spark_api(sys.argv[3] if len(sys.argv) > 3 else "local[2]", work)
    else:
        db_api = DuckDBAPI()
        requests = pd.read_parquet(work / "requests.parquet")
        master = pd.read_parquet(work / "master.parquet")
    left = db_api.register(requests, dataset_display_name="requests")
    right = db_api.register(master, dataset_display_name="master")
    blocking = blocking_rules()
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="uid",
        blocking_rules_to_generate_predictions=blocking,
        comparisons=comparisons(),
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker([left, right], settings)
    trained = time.perf_counter()
    train(linker)
    train_s = time.perf_counter() - trained
    predicted = time.perf_counter()
    scored = linker.inference.predict(threshold_match_probability=0.01).as_pandas_dataframe()
    predict_s = time.perf_counter() - predicted
    left_id = "uid_l" if scored["source_dataset_l"].iloc[0] == "requests" else "uid_r"
    right_id = "uid_r" if left_id == "uid_l" else "uid_l"
    scored = scored.rename(columns={left_id: "item", right_id: "master_uid"})
    scored["tin"] = scored["master_uid"].str.split("/").str[0]
    per_tin = scored.groupby(["item", "tin"], as_index=False)["match_probability"].max()
    per_tin = per_tin.sort_values(["item", "match_probability"], ascending=[True, False])
    per_tin["rank"] = per_tin.groupby("item").cumcount()
    best = per_tin[per_tin["rank"] == 0].set_index("item")
    second = per_tin[per_tin["rank"] == 1].set_index("item")["match_probability"]
    best = best.assign(second=second.reindex(best.index).fillna(0.0)).reset_index()
    best[["item", "tin", "match_probability", "second"]].to_parquet(work / "splink_best.parquet")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    facts = {
        "train_s": train_s,
        "predict_s": predict_s,
        "total_s": time.perf_counter() - started,
        "pairs_scored": len(scored),
        "peak_rss_mb": peak,
        "backend": backend,
    }
    (work / "splink.json").write_text(json.dumps(facts), encoding="utf-8")


if __name__ == "__main__":
    main()
