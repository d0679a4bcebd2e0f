"""Portcullis matching against Splink 5: same data, same run, on DuckDB or on Spark.

Usage: .venv/bin/python bench/bench_matching_splink.py [--taxpayers N] [--items N]
       [--splink-python PYTHON] [--spark local[2]]
The Splink side runs in its own process under --splink-python (this Python by default, after
`.venv/bin/pip install -e '.[dev,bench]'`; the dev extra brings pyspark for --spark); both sides
get the same master and requests; timings are end to end (index or training included). With
--spark MASTER, Splink runs on its Spark backend and Portcullis's batch also runs on its Spark
engine (the model is learned as in the operator's flow, then the Spark index is built and the
batch matched there; the verdicts are compared with the DuckDB engine's, item by item).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from matching.data import load_population, matchable_items
from matching.report import machine, peak_memory_mb, write_section
from matching.requests import hold_per_request
from matching.scoring import score_releases

from portcullis.matching import Matcher, MatchParams, MatchQuery, MatchResult, build_index, train
from portcullis.matching.train import learn_from_requests
from portcullis.synth import generate_population
from portcullis.synth.request import generate_request

TARGET_PRECISION = 0.9999
THRESHOLD_POINTS = 400
SPARK_AGAINST_SPARK = " (Spark against Spark; the model Portcullis learned on DuckDB not counted)"


def plain(value: object) -> str | None:
    """Return text lower-cased without accents (the light cleaning Splink's inputs get)."""
    if value is None or value == "":
        return None
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("-", " ").split()) or None


def splink_row(uid: str, source: dict[str, object]) -> dict[str, object]:
    """Return one Splink input row with the compared columns."""
    street = plain(source["street"]) or ""
    house = street.split(" ", 1)[0] if street[:1].isdigit() else None
    dob = source["date_of_birth"]
    return {
        "uid": uid,
        "first_name": plain(source["first_name"]),
        "last_name": plain(source["last_name"]),
        "middle_name": plain(source["middle_name"]),
        "name_suffix": plain(source["name_suffix"]),
        "dob": str(dob) if dob else None,
        "street": street or None,
        "house": house,
        "city": plain(source["city"]),
        "zip": (str(source["zip"] or "")[:5] or None),
    }


def write_splink_inputs(work: Path, master: pa.Table, queries: list[MatchQuery]) -> None:
    """Write the master (one row per distinct identity and address) and the requests."""
    seen: set[tuple[object, ...]] = set()
    rows = []
    for record in master.to_pylist():
        identity = tuple(v for k, v in record.items() if k != "tax_year")
        if identity in seen:
            continue
        seen.add(identity)
        rows.append(splink_row(f"{record['tin']}/{len(rows)}", record))
    pq.write_table(pa.Table.from_pylist(rows), work / "master.parquet")
    requests = [
        splink_row(
            str(i),
            {
                "first_name": q.first_name,
                "last_name": q.last_name,
                "middle_name": q.middle_name,
                "name_suffix": q.name_suffix,
                "date_of_birth": q.date_of_birth,
                "street": q.street,
                "city": q.city,
                "zip": q.zip,
            },
        )
        for i, q in enumerate(queries)
    ]
    pq.write_table(pa.Table.from_pylist(requests), work / "requests.parquet")


def main() -> None:
    """Run both engines on the same data and write the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--taxpayers", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=6103)
    parser.add_argument("--splink-python", default=sys.executable)
    parser.add_argument("--spark", metavar="MASTER", help="run both sides on Spark (e.g. local[2])")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="portcullis-splink-"))
    population = generate_population(args.taxpayers, seed=args.seed)
    evaluation = generate_request(population, args.items, seed=args.seed + 2)
    queries, truths = matchable_items(evaluation.items, evaluation.truth)
    write_splink_inputs(work, population.master, queries)

    con = load_population(work / "master.duckdb", population)
    started = time.perf_counter()
    build_index(con)
    built = time.perf_counter()
    # The operator's flow: u from the master, m and the prior by EM from the batch itself, the
    # release line per request.
    base = train(con, work / "match")
    params = learn_from_requests(Matcher.open(con, base), queries, work / "match", "bench").params
    trained = time.perf_counter()
    results, _ = hold_per_request(
        Matcher.open(con, params).match_batch(queries), params.thresholds.precision
    )
    ours_s = time.perf_counter() - started
    batch_s = time.perf_counter() - trained
    index_s, train_s = built - started, trained - built
    ours = score_releases([r.tin if r.verdict == "match" else None for r in results], truths)
    # What Splink's times are set against: the DuckDB engine's, or with --spark the Spark engine's.
    spark_line, peer_total_s, peer_batch_s = "", ours_s, batch_s
    if args.spark:
        spark_line, peer_total_s, peer_batch_s = on_spark(
            args.spark, con, work, params, queries, results
        )
        print(spark_line, flush=True)

    started = time.perf_counter()
    here = Path(__file__).resolve().parent / "matching" / "splink_run.py"
    backend = ["spark", args.spark] if args.spark else ["duckdb"]
    subprocess.run([args.splink_python, str(here), str(work), *backend], check=True)
    splink_s = time.perf_counter() - started
    facts = json.loads((work / "splink.json").read_text(encoding="utf-8"))
    best = pq.read_table(work / "splink_best.parquet").to_pylist()
    by_item = {int(row["item"]): row for row in best}
    chosen_threshold, splink = None, None
    # Every distinct probability would make this quadratic at 100k items: walk at most a few
    # hundred thresholds (quantiles of the distinct values, the extremes included).
    distinct = sorted({round(row["match_probability"], 6) for row in best})
    step = max(1, len(distinct) // THRESHOLD_POINTS)
    for threshold in [*distinct[::step], distinct[-1]] if distinct else []:
        released = [
            str(by_item[i]["tin"])
            if i in by_item and by_item[i]["match_probability"] >= threshold
            else None
            for i in range(len(queries))
        ]
        accuracy = score_releases(released, truths)
        if accuracy.releases and accuracy.precision >= TARGET_PRECISION:
            chosen_threshold, splink = threshold, accuracy
            break
    curve = []
    for threshold in (0.5, 0.9, 0.99, 0.999):
        released = [
            str(by_item[i]["tin"])
            if i in by_item and by_item[i]["match_probability"] >= threshold
            else None
            for i in range(len(queries))
        ]
        point = score_releases(released, truths)
        curve.append(f"p≥{threshold}: precision {point.precision:.4f} recall {point.recall:.4f}")
    if splink is None:
        splink_line = f"Splink never reaches precision {TARGET_PRECISION} at any threshold"
    else:
        wrong = dict(splink.wrong_by_kind) or "none"
        splink_line = (
            f"Splink at the lowest threshold tried reaching precision {TARGET_PRECISION} "
            f"(p ≥ {chosen_threshold}): precision {splink.precision:.5f}, "
            f"**recall {splink.recall:.4f}**, wrong releases {wrong}"
        )
    command = (
        "bench/bench_matching_splink.py "
        f"--taxpayers {args.taxpayers} --items {args.items} --seed {args.seed}"
        + (f" --spark '{args.spark}'" if args.spark else "")
    )
    where = f"Spark {args.spark}" if args.spark else "DuckDB"
    ours_wrong = dict(ours.wrong_by_kind) or "none"
    body = "\n".join(
        [
            f"Run: `.venv/bin/python {command}`",
            "",
            f"- machine: {machine()}",
            f"- data: {population.master.num_rows} master rows ({args.taxpayers} people "
            f"generated), {len(queries)} evaluated request items",
            "- blocking on both sides: surname+DOB, given+DOB, given+surname, given+surname+ZIP, "
            "surname+house+ZIP, DOB+ZIP; Splink compares given and surname (NameComparison, "
            "term frequencies), middle, suffix, DOB (DateOfBirthComparison), street "
            "(Levenshtein), ZIP, city; trained by random-sampling u and EM",
            "- **Portcullis on DuckDB, end to end (index build, training, match_batch): "
            f"{ours_s:.1f} s** "
            f"(index {index_s:.1f} s, training {train_s:.1f} s, "
            f"match_batch {batch_s:.1f} s); precision {ours.precision:.5f}, "
            f"**recall {ours.recall:.4f}**, wrong releases {ours_wrong}, to review "
            f"{sum(r.verdict == 'review' for r in results)} of {len(queries)} items "
            "(training: u from the master, m and prior by EM from the batch; release line "
            "per request of 5,000)",
            *([spark_line] if spark_line else []),
            f"- **Splink on {where}, end to end (process start, training, predict): "
            f"{splink_s:.1f} s** "
            f"(training {facts['train_s']:.1f} s, predict {facts['predict_s']:.1f} s, "
            f"{facts['pairs_scored']} pairs scored, peak RSS of its Python process "
            f"{facts['peak_rss_mb']:.0f} MiB{', the JVM not counted' if args.spark else ''})",
            f"- speed-up end to end{SPARK_AGAINST_SPARK if args.spark else ''}: "
            f"{splink_s / peer_total_s:.1f} times; matching a batch once the "
            f"master is indexed and the model trained (match_batch against Splink's predict): "
            f"**{facts['predict_s'] / peer_batch_s:.1f} times**",
            f"- {splink_line}",
            f"- Splink's precision and recall at fixed thresholds: {'; '.join(curve)}",
            f"- Portcullis peak RSS {peak_memory_mb():.0f} MiB",
        ]
    )
    print(body)
    title = f"Against Splink 5 ({args.taxpayers} taxpayers, {args.items} items)"
    write_section(f"{title}, on Spark" if args.spark else title, body)


def on_spark(
    master: str,
    con: duckdb.DuckDBPyConnection,
    work: Path,
    params: MatchParams,
    queries: list[MatchQuery],
    on_duckdb: list[MatchResult],
) -> tuple[str, float, float]:
    """Build the Spark index, match the batch there with `params`, compare with DuckDB's results.

    Returns the report line, the Spark side's time from session start to the batch's end, and
    the batch's own time.
    """
    from portcullis.matching.spark import (
        SparkMatcher,
        SparkSettings,
        build_spark_index,
        export_master,
        spark_session,
    )

    clock = time.perf_counter
    t0 = clock()
    spark = spark_session(SparkSettings(master=master, conf={"spark.driver.memory": "6g"}))
    spark.sparkContext.setLogLevel("ERROR")
    start_s = clock() - t0
    t0 = clock()
    exported = export_master(con, work / "spark" / "master.parquet")
    build_spark_index(spark, exported, work / "spark")
    build_s = clock() - t0
    t0 = clock()
    matched = SparkMatcher.open(spark, work / "spark", params).match_batch(queries)
    held, _ = hold_per_request(matched, params.thresholds.precision)
    batch_s = clock() - t0
    spark.stop()
    differ = sum(
        (a.verdict, a.tin) != (b.verdict, b.tin) for a, b in zip(on_duckdb, held, strict=True)
    )
    line = (
        f"- **Portcullis on Spark {master}**: session start {start_s:.1f} s, master to Parquet "
        f"and index build {build_s:.1f} s, match_batch {batch_s:.1f} s "
        f"({len(queries) / batch_s:,.0f} items/s); items whose verdict or taxpayer differ from "
        f"the DuckDB engine's with the same model: **{differ}**"
    )
    return line, start_s + build_s + batch_s, batch_s


if __name__ == "__main__":
    main()
