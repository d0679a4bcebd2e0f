"""Run Splink 5 (DuckDB backend) on prepared Parquet files; executed by the bench venv's Python.

Usage: /tmp/benchvenv/bin/python bench/matching/splink_run.py WORKDIR
Reads WORKDIR/requests.parquet and WORKDIR/master.parquet, writes WORKDIR/splink_best.parquet
(per request: best and second-best master TIN by match probability) and WORKDIR/splink.json.
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


def main() -> None:
    """Train Splink, predict, keep the two best candidates per request, record timings."""
    work = Path(sys.argv[1])
    started = time.perf_counter()
    requests = pd.read_parquet(work / "requests.parquet")
    master = pd.read_parquet(work / "master.parquet")
    db_api = DuckDBAPI()
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
    }
    (work / "splink.json").write_text(json.dumps(facts), encoding="utf-8")


if __name__ == "__main__":
    main()
