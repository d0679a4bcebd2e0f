"""Time Splink 5 answering one record at a time against a master (the on-demand peer).

Usage: /tmp/benchvenv14/bin/python bench/matching/splink_one.py MASTER.parquet ITEMS.json N
The venv: `python3 -m venv /tmp/benchvenv14`, then its pip installs `splink==5.0.0 pandas`.
Executed by the bench venv's Python (splink 5). Reads the generated master and request items,
trains a model as bench/matching/splink_run.py does, then times
`linker.inference.find_matches_to_new_records` for N items, one record per call (Splink's API
for matching a few new records against a linked dataset), and prints a JSON line of timings.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.backends.duckdb import DuckDBAPI


def _plain(column: str) -> str:
    # Lower case, accents and hyphens gone, spaces collapsed: the light cleaning Splink gets.
    lowered = f"replace(lower(strip_accents(coalesce({column}, ''))), '-', ' ')"
    text = f"regexp_replace({lowered}, '\\s+', ' ', 'g')"
    return f"nullif(trim({text}), '')"


SPLINK_COLUMNS = f"""
    {_plain("first_name")} AS first_name, {_plain("last_name")} AS last_name,
    {_plain("middle_name")} AS middle_name, {_plain("name_suffix")} AS name_suffix,
    nullif(CAST(date_of_birth AS VARCHAR), '') AS dob, {_plain("street")} AS street,
    CASE WHEN regexp_matches({_plain("street")}, '^[0-9]')
        THEN split_part({_plain("street")}, ' ', 1) END AS house,
    {_plain("city")} AS city, nullif(substr(coalesce(zip, ''), 1, 5), '') AS zip
"""


def main() -> None:
    """Train on the master, then answer N items one call each; print the timings as JSON."""
    master_path, items_path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    started = time.perf_counter()
    con = duckdb.connect()
    master = con.execute(
        f"SELECT tin || '/' || row_number() OVER () AS uid, * FROM (SELECT DISTINCT "
        f"{SPLINK_COLUMNS}, tin FROM read_parquet('{master_path}'))"
    ).df()
    master = master.drop(columns=["tin"])
    items = pd.DataFrame(json.loads(Path(items_path).read_text())[:count])
    con.register("items_raw", items)
    records = con.execute(
        f"SELECT CAST(row_number() OVER () AS VARCHAR) AS uid, {SPLINK_COLUMNS} FROM items_raw"
    ).df()
    db_api = DuckDBAPI()
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="uid",
        blocking_rules_to_generate_predictions=[block_on("last_name", "dob")],
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("last_name").configure(term_frequency_adjustments=True),
            cl.ExactMatch("middle_name"),
            cl.ExactMatch("name_suffix"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.LevenshteinAtThresholds("street", [1, 3]),
            cl.ExactMatch("zip"),
            cl.ExactMatch("city"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(db_api.register(master, dataset_display_name="master"), settings)
    prepared = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "dob")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "last_name")
    )
    for column in ("first_name", "last_name"):
        linker.table_management.compute_tf_table(column)
    trained = time.perf_counter()
    blocking = [
        block_on("last_name", "dob"),
        block_on("first_name", "dob"),
        block_on("first_name", "last_name"),
        block_on("dob", "zip"),
    ]
    seconds = []
    found = 0
    for record in records.to_dict("records"):
        began = time.perf_counter()
        answer = linker.inference.find_matches_to_new_records(
            [record], blocking_rules=blocking, match_weight_threshold=-4
        ).as_pandas_dataframe()
        seconds.append(time.perf_counter() - began)
        found += int(len(answer) > 0)
    ordered = sorted(seconds)
    print(
        json.dumps(
            {
                "master_rows": len(master),
                "prepare_s": prepared - started,
                "train_s": trained - prepared,
                "records": len(seconds),
                "with_candidates": found,
                "p50_ms": statistics.median(ordered) * 1000,
                "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
                "mean_ms": statistics.mean(ordered) * 1000,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
