"""Time Splink 5 answering one record at a time against a master (the on-demand peer).

Usage: .venv/bin/python bench/matching/splink_one.py MASTER.parquet ITEMS.json N MODEL.json
Bench deps: `.venv/bin/pip install -e '.[dev,bench]'` (splink 5). Reads the generated master and
request items. Without MODEL.json, trains a model on the master with splink_run.py's comparisons
and training and saves it there; with it, loads the saved model (training at 1M takes many
minutes). Then times `linker.inference.predict_between` for N items, one new record against the
whole master per call (Splink 5's road for linking new records to an existing dataset), and
prints a JSON line of timings.
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
from splink import Linker, SettingsCreator
from splink.backends.duckdb import DuckDBAPI
from splink_run import blocking_rules, comparisons, train


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
TF_COLUMNS = ("first_name", "last_name")


def _frames(master_path: str, items_path: str, count: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    con = duckdb.connect()
    master = con.execute(
        f"SELECT tin || '/' || row_number() OVER () AS uid, * FROM (SELECT DISTINCT "
        f"{SPLINK_COLUMNS}, tin FROM read_parquet('{master_path}'))"
    ).df()
    items = pd.DataFrame(json.loads(Path(items_path).read_text())[:count])
    con.register("items_raw", items)
    records = con.execute(
        f"SELECT 'new-' || CAST(row_number() OVER () AS VARCHAR) AS uid, {SPLINK_COLUMNS}"
        " FROM items_raw"
    ).df()
    return master.drop(columns=["tin"]), records


def _linker(db_api: DuckDBAPI, master: pd.DataFrame, model: Path) -> tuple[Linker, bool]:
    registered = db_api.register(master, dataset_display_name="master")
    if model.is_file():
        return Linker(registered, str(model)), False
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="uid",
        blocking_rules_to_generate_predictions=blocking_rules(),
        comparisons=comparisons(),
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(registered, settings)
    train(linker)
    linker.misc.save_model_to_json(str(model), overwrite=True)
    return linker, True


def main() -> None:
    """Train (or load) the model, then answer N items one call each; print timings as JSON."""
    master_path, items_path, count, model = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    started = time.perf_counter()
    master, records = _frames(master_path, items_path, count)
    db_api = DuckDBAPI()
    prepared = time.perf_counter()
    linker, trained_here = _linker(db_api, master, Path(model))
    for column in TF_COLUMNS:
        linker.table_management.compute_tf_table(column)
    master_sdf = db_api.register(master, dataset_display_name="master_for_new_records")
    trained = time.perf_counter()
    seconds = []
    found = 0
    for n, record in enumerate(records.to_dict("records")):
        began = time.perf_counter()
        new = db_api.register(pd.DataFrame([record]), dataset_display_name=f"new_{n}")
        answer = linker.inference.predict_between(
            new, master_sdf, threshold_match_weight=-4, warning_mode="never"
        ).as_pandas_dataframe()
        seconds.append(time.perf_counter() - began)
        found += int(len(answer) > 0)
    ordered = sorted(seconds)
    print(
        json.dumps(
            {
                "master_rows": len(master),
                "prepare_s": prepared - started,
                "model": "trained and saved" if trained_here else f"loaded from {model}",
                "train_or_load_s": trained - prepared,
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
