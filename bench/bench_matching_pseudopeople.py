"""pseudopeople: the 2020 census people matched against every year of the 1040 sample.

Usage: .venv/bin/pip install -e '.[dev,bench]'
       .venv/bin/python bench/bench_matching_pseudopeople.py
       [--bench-python PYTHON] [--seed S] [--no-splink] [--show-wrong N]
The bench extra brings pseudopeople and the Splink peer; --bench-python (this Python by default)
runs bench/matching/pseudopeople_export.py, which builds the data (its doc string says how): the
master is the noised 1040 returns of 2018 to 2040, one row per primary or joint filer and tax
year, the TIN derived from the simulant id, the date of birth joined from the noised Social
Security sample; the items are the noised 2020 census people (no TIN), about 40% of them
non-filers, most of those living in a filer's household. Every item asks for all the years in
the master. Portcullis runs the operator's flow: u trained on the master, m and the
prior learned by EM from the batch itself, the batch matched and the release line drawn per
request of 5,000 items.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from matching.blocking import blocking_recall
from matching.data import MASTER_COLUMNS, Truth
from matching.report import machine, peak_memory_mb, write_section
from matching.requests import hold_per_request
from matching.scoring import Accuracy, closed_breakdown, review_breakdown, score_releases

from portcullis.master.schema import MASTER_TABLE, create_master_tables
from portcullis.matching import Matcher, MatchQuery, build_index, train
from portcullis.matching.release_line import REVIEW_FLOOR
from portcullis.matching.train import learn_from_requests

TITLE = "pseudopeople (census to 1040)"
SPLINK_TARGETS = (0.999, 0.9999)


def simulant_tin(simulant_id: str) -> str:
    """Return a stable nine-digit TIN for a pseudopeople simulant id ('0_5621' -> 100005621)."""
    prefix, number = simulant_id.split("_")
    return f"{int(prefix) + 1}{int(number):08d}"


def parse_date(value: str | None, pattern: str) -> dt.date | None:
    """Return the date written as `pattern`, or None when it is missing or impossible."""
    try:
        return dt.datetime.strptime(value or "", pattern).date()
    except ValueError:
        return None


def load_master(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> pa.Table:
    """Insert the exported master rows and return them as the master table."""
    create_master_tables(con)
    master = pa.table(
        {
            "tin": [simulant_tin(r["simulant_id"]) for r in rows],
            "first_name": [r["first_name"] or "" for r in rows],
            "middle_name": [r["middle_name"] for r in rows],
            "last_name": [r["last_name"] or "" for r in rows],
            "name_suffix": pa.array([None] * len(rows), pa.string()),
            "date_of_birth": pa.array(
                [parse_date(r["date_of_birth"], "%Y%m%d") for r in rows], pa.date32()
            ),
            "street": [r["street"] or "" for r in rows],
            "unit": [r["unit"] for r in rows],
            "city": [r["city"] or "" for r in rows],
            "state": [(r["state"] or "").upper() for r in rows],
            "zip": [r["zip"] or "" for r in rows],
            "tax_year": [int(r["tax_year"]) for r in rows],
        }
    )
    con.register("pp_master", master)
    con.execute(f"INSERT INTO {MASTER_TABLE} ({MASTER_COLUMNS}) SELECT * FROM pp_master")
    con.unregister("pp_master")
    return master


def census_queries(
    items: list[dict[str, Any]], years: frozenset[int], filers: set[str]
) -> tuple[list[MatchQuery], list[Truth]]:
    """Return one query per census person and its truth (the TIN when the person files)."""
    queries = [
        MatchQuery(
            key=f"census-{number}",
            first_name=r["first_name"],
            middle_name=r["middle_initial"],
            last_name=r["last_name"],
            name_suffix=None,
            date_of_birth=parse_date(r["date_of_birth"], "%m/%d/%Y"),
            tin=None,
            street=r["street"],
            unit=r["unit"],
            city=r["city"],
            state=(r["state"] or "").upper() or None,
            zip=r["zip"],
            tax_years=years,
        )
        for number, r in enumerate(items)
    ]
    truths = [
        Truth(
            r["kind"],
            "disclosed" if r["simulant_id"] in filers else "not_found",
            simulant_tin(r["simulant_id"]) if r["simulant_id"] in filers else None,
        )
        for r in items
    ]
    return queries, truths


def relation(item: dict[str, Any], released: str, households: dict[str, set[str]]) -> str:
    """Say how the wrongly released taxpayer relates to the item's person."""
    if released in households.get(item["household_id"], set()):
        return "same household"
    return "unrelated"


def best_recall(
    best: list[dict[str, Any]], truths: list[Truth], target: float
) -> tuple[float | None, Accuracy | None]:
    """Return Splink's threshold with the highest recall at precision >= target, and its scores."""
    ranked = sorted(
        ((float(row["match_probability"]), int(row["item"]), str(row["tin"])) for row in best),
        reverse=True,
    )
    should = sum(t.expected == "disclosed" and t.true_tin is not None for t in truths)
    right = 0
    chosen: tuple[float, int] | None = None
    for pos, (probability, item, tin) in enumerate(ranked):
        released = pos + 1
        right += int(tin == truths[item].true_tin)
        last_of_tie = pos + 1 == len(ranked) or ranked[pos + 1][0] < probability
        if last_of_tie and right / released >= target and (chosen is None or right > chosen[1]):
            chosen = (probability, right)
    if chosen is None:
        return None, None
    threshold = chosen[0]
    by_item = {int(r["item"]): r for r in best}
    releases = [
        str(by_item[i]["tin"])
        if i in by_item and float(by_item[i]["match_probability"]) >= threshold
        else None
        for i in range(len(truths))
    ]
    accuracy = score_releases(releases, truths)
    assert accuracy.should_release == should
    return threshold, accuracy


def run_splink(
    python: str, work: Path, master: pa.Table, queries: list[MatchQuery], truths: list[Truth]
) -> list[str]:
    """Run Splink 5 on the same master and items; return the report lines."""
    from bench_matching_splink import write_splink_inputs

    write_splink_inputs(work, master, queries)
    started = time.perf_counter()
    here = Path(__file__).resolve().parent / "matching" / "splink_run.py"
    done = subprocess.run([python, str(here), str(work)], check=False)
    if done.returncode != 0:
        return [f"- Splink 5 failed (exit {done.returncode}); see stderr"]
    splink_s = time.perf_counter() - started
    facts = json.loads((work / "splink.json").read_text(encoding="utf-8"))
    best = pq.read_table(work / "splink_best.parquet").to_pylist()
    lines = [
        f"- Splink 5 (same master and items; its own blocking, NameComparison with term "
        f"frequencies, DateOfBirthComparison, street Levenshtein, ZIP, city; u by random "
        f"sampling, EM): end to end {splink_s:.1f} s (training {facts['train_s']:.1f} s, "
        f"predict {facts['predict_s']:.1f} s, {facts['pairs_scored']} pairs scored, peak RSS "
        f"{facts['peak_rss_mb']:.0f} MiB)"
    ]
    for target in SPLINK_TARGETS:
        threshold, accuracy = best_recall(best, truths, target)
        if accuracy is None:
            lines.append(f"  - Splink never reaches precision {target} at any threshold")
            continue
        wrong = dict(accuracy.wrong_by_kind) or "none"
        lines.append(
            f"  - Splink's best recall at precision ≥ {target}: **{accuracy.recall:.4f}** "
            f"(p ≥ {threshold:.6g}: precision {accuracy.precision:.5f}, {accuracy.right} of "
            f"{accuracy.releases} right, wrong {wrong})"
        )
    return lines


def main() -> None:
    """Export the data, run the operator's flow, score it and write the results section."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench-python", default=sys.executable)
    parser.add_argument("--seed", type=int, default=6103)
    parser.add_argument("--show-wrong", type=int, default=5)
    parser.add_argument("--no-splink", action="store_true", help="skip the Splink 5 peer")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="portcullis-pseudopeople-"))
    started = time.perf_counter()
    exporter = Path(__file__).resolve().parent / "matching" / "pseudopeople_export.py"
    subprocess.run(
        [args.bench_python, str(exporter), str(work), "--seed", str(args.seed)],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    export_s = time.perf_counter() - started
    facts = json.loads((work / "facts.json").read_text(encoding="utf-8"))
    rows = pq.read_table(work / "master.parquet").to_pylist()
    items = pq.read_table(work / "items.parquet").to_pylist()
    con = duckdb.connect(str(work / "master.duckdb"))
    master = load_master(con, rows)
    filers = {r["simulant_id"] for r in rows}
    households: dict[str, set[str]] = {}
    for r in rows:
        households.setdefault(r["household_id"], set()).add(simulant_tin(r["simulant_id"]))
    for r in items:
        if r["simulant_id"] in filers:
            households.setdefault(r["household_id"], set()).add(simulant_tin(r["simulant_id"]))
    years = frozenset(int(y) for y in facts["tax_years"])
    queries, truths = census_queries(items, years, filers)

    t0 = time.perf_counter()
    build_index(con)
    index_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    base = train(con, work / "match")
    fit = learn_from_requests(Matcher.open(con, base), queries, work / "match", "bench")
    train_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = Matcher.open(con, fit.params).match_batch(queries)
    results, expected_wrong = hold_per_request(results, fit.params.thresholds.precision)
    match_s = time.perf_counter() - t0
    ours_s = index_s + train_s + match_s

    accuracy = score_releases([r.tin if r.verdict == "match" else None for r in results], truths)
    for r in results:
        accuracy.verdicts[r.verdict] += 1
    reached, filing, unreached = blocking_recall(con, queries, truths)
    wrong_kinds: Counter[str] = Counter()
    shown = 0
    for result, truth, item in zip(results, truths, items, strict=True):
        if result.verdict != "match" or result.tin == truth.true_tin:
            continue
        assert result.tin is not None
        how = relation(item, result.tin, households)
        wrong_kinds[f"{truth.kind}, released {how} taxpayer"] += 1
        if shown < args.show_wrong:
            shown += 1
            print(
                "WRONG", truth, f"released {result.tin} ({how})", result.key, item,
                result.evidence.get("best"), file=sys.stderr,
            )  # fmt: skip
    review_share = accuracy.verdicts["review"] / len(queries)
    kinds = Counter(t.kind for t in truths)
    verdicts_by_kind: dict[str, Counter[str]] = {}
    for result, truth in zip(results, truths, strict=True):
        verdicts_by_kind.setdefault(truth.kind, Counter())[result.verdict] += 1

    splink_lines: list[str] = []
    if not args.no_splink:
        splink_lines = run_splink(args.bench_python, work, master, queries, truths)

    wrong = ", ".join(f"{k}: {v}" for k, v in sorted(wrong_kinds.items())) or "none"
    missed = ", ".join(f"{k}: {v}" for k, v in accuracy.missed_by_kind.most_common()) or "none"
    by_kind = "; ".join(
        f"{kind}: {dict(counts)}" for kind, counts in sorted(verdicts_by_kind.items())
    )
    own_python = args.bench_python == sys.executable
    run_flags = "" if own_python else f" --bench-python {args.bench_python}"
    body = "\n".join(
        [
            f"Run: `.venv/bin/python bench/bench_matching_pseudopeople.py{run_flags}`",
            "",
            f"- machine: {machine()}",
            f"- data: pseudopeople {facts['pseudopeople']} sample, default noise. Master: the "
            f"1040 returns of {min(years)}-{max(years)} ({facts['returns']} returns, "
            f"{facts['joint_returns']} joint), **{master.num_rows} rows, {len(filers)} "
            "taxpayers** (primary and joint filers; TIN from the simulant id; date of birth "
            "from the noised SSA sample, none for filers without an SSA record; the sample is "
            "one town, so city, state and ZIP are the same for all but their noise)",
            f"- items: **{len(queries)}** noised {facts['census_year']} census people (names, "
            "middle initial, date of birth, address; no TIN), every year of the master asked: "
            f"**{kinds['filer']} filers**, "
            f"**{kinds['non-filer in a filer household']} non-filers in a filer's household** "
            f"(same household id or address), {kinds['other non-filer']} other non-filers. "
            f"Non-filers are {facts['natural_non_filers']} census people who never file plus "
            f"{facts['held_out']} held out of the master (the sample has nearly every census "
            "person file some year, children included)",
            f"- model {fit.params.version}: u from the master, m and prior by EM over the batch "
            f"({fit.pairs} pairs, {fit.iterations} iterations, {fit.on_file_share:.1%} "
            "estimated on file)",
            f"- verdicts: {dict(accuracy.verdicts)}; by kind: {by_kind}",
            f"- **precision of releases: {accuracy.precision:.5f}** "
            f"({accuracy.right} right of {accuracy.releases} released)",
            f"- **recall: {accuracy.recall:.4f}** of {accuracy.should_release} filers; "
            f"**sent to review: {review_share:.2%}** of items",
            f"- calibration: the posterior expected {expected_wrong:.3f} wrong releases; "
            f"measured {accuracy.releases - accuracy.right}",
            f"- to review, by reason and what the truth is: {review_breakdown(results, truths)}",
            f"- held items closed as no_match by the review floor "
            f"({REVIEW_FLOOR:g}): {closed_breakdown(results, truths)}",
            f"- blocking recall: **{reached:.4f}** of {filing} filers; not reached: "
            + (", ".join(f"{k}: {v}" for k, v in unreached.most_common()) or "none"),
            f"- wrong releases: {wrong}",
            f"- filers not released, by kind: {missed}",
            f"- Portcullis time: **{ours_s:.1f} s** (index {index_s:.1f} s, train and EM "
            f"{train_s:.1f} s, match_batch {match_s:.1f} s); export "
            f"{export_s:.1f} s; peak RSS {peak_memory_mb():.0f} MiB",
            *splink_lines,
        ]
    )
    print(body)
    write_section(TITLE, body)


if __name__ == "__main__":
    main()
