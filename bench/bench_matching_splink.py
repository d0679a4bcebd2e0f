"""Portcullis matching against Splink 5 on its DuckDB backend: same data, same run.

Usage: .venv/bin/python bench/bench_matching_splink.py [--taxpayers N] [--items N]
       [--splink-python /tmp/benchvenv/bin/python]
The Splink side runs in a separate virtualenv (`pip install splink==5.0.0 recordlinkage==0.16`);
both sides get the same master and requests; timings are end to end (index or training included).
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

import pyarrow as pa
import pyarrow.parquet as pq
from matching.data import load_population, matchable_items
from matching.report import machine, peak_memory_mb, write_section
from matching.requests import hold_per_request
from matching.scoring import score_releases

from portcullis.matching import Matcher, MatchQuery, build_index, train
from portcullis.matching.train import learn_from_requests
from portcullis.synth import generate_population
from portcullis.synth.request import generate_request

TARGET_PRECISION = 0.9999
THRESHOLD_POINTS = 400


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
    parser.add_argument("--splink-python", default="/tmp/benchvenv/bin/python")
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

    started = time.perf_counter()
    here = Path(__file__).resolve().parent / "matching" / "splink_run.py"
    subprocess.run([args.splink_python, str(here), str(work)], check=True)
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
    )
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
            f"- **Portcullis end to end (index build, training, match_batch): {ours_s:.1f} s** "
            f"(index {index_s:.1f} s, training {train_s:.1f} s, "
            f"match_batch {batch_s:.1f} s); precision {ours.precision:.5f}, "
            f"**recall {ours.recall:.4f}**, wrong releases {ours_wrong}, to review "
            f"{sum(r.verdict == 'review' for r in results)} of {len(queries)} items "
            "(training: u from the master, m and prior by EM from the batch; release line "
            "per request of 5,000)",
            f"- **Splink end to end (process start, training, predict): {splink_s:.1f} s** "
            f"(training {facts['train_s']:.1f} s, predict {facts['predict_s']:.1f} s, "
            f"{facts['pairs_scored']} pairs scored, peak RSS {facts['peak_rss_mb']:.0f} MiB)",
            f"- speed-up end to end: {splink_s / ours_s:.1f} times; matching a batch once the "
            f"master is indexed and the model trained (match_batch against Splink's predict): "
            f"**{facts['predict_s'] / batch_s:.1f} times**",
            f"- {splink_line}",
            f"- Splink's precision and recall at fixed thresholds: {'; '.join(curve)}",
            f"- Portcullis peak RSS {peak_memory_mb():.0f} MiB",
        ]
    )
    print(body)
    write_section(f"Against Splink 5 ({args.taxpayers} taxpayers, {args.items} items)", body)


if __name__ == "__main__":
    main()
