"""FEBRL4: 5,000 records matched against 5,000 corrupted duplicates, one true match each.

Usage: .venv/bin/python bench/bench_matching_febrl.py [--bench-python PYTHON]
Dataset B becomes the master (one tax year, postcodes left-padded to five digits so that the ZIP
comparison applies), dataset A the queries; every query has exactly one true taxpayer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from matching.report import machine, peak_memory_mb, write_section

from portcullis.master.schema import MASTER_TABLE, create_master_tables
from portcullis.matching import Matcher, MatchQuery, build_index, default_params, train
from portcullis.matching.release_line import hold_to_bound
from portcullis.matching.result import MatchResult
from portcullis.matching.train import learn_from_requests

YEAR = 2023


def record_tin(rec_id: str) -> str:
    """Return a nine-digit TIN made from the FEBRL record number."""
    return f"{100_000_000 + int(rec_id.split('-')[1]):09d}"


def birth_date(text: str | None) -> dt.date | None:
    """Return the FEBRL YYYYMMDD date, or None when it is missing or impossible."""
    try:
        return dt.datetime.strptime(text or "", "%Y%m%d").date()
    except ValueError:
        return None


def street_of(row: dict[str, str | None]) -> str:
    """Return the street line from FEBRL's number and first address line."""
    return " ".join(part for part in (row["street_number"], row["address_1"]) if part)


def not_released(results: list[MatchResult]) -> str:
    """Return the items not released by verdict and reason, and how many name the true record."""
    where: Counter[tuple[str, str]] = Counter()
    true_best: Counter[tuple[str, str]] = Counter()
    for r in results:
        if r.verdict == "match":
            continue
        key = (r.verdict, str(r.evidence.get("reason")))
        where[key] += 1
        best = r.evidence.get("best") or {}
        true_best[key] += best.get("tin") == record_tin(r.key)
    return "by verdict / reason (of them, the best candidate is the true record): " + "; ".join(
        f"{verdict} / {reason}: {n} ({true_best[(verdict, reason)]})"
        for (verdict, reason), n in where.most_common()
    )


def main() -> None:
    """Run the FEBRL4 benchmark and write its section of the results file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bench-python", default=sys.executable)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="portcullis-febrl-"))
    exporter = Path(__file__).resolve().parent / "matching" / "febrl_export.py"
    subprocess.run([args.bench_python, str(exporter), str(work)], check=True)
    left = pq.read_table(work / "febrl4_a.parquet").to_pylist()
    right = pq.read_table(work / "febrl4_b.parquet").to_pylist()
    con = duckdb.connect(str(work / "master.duckdb"))
    create_master_tables(con)
    master = pa.table(
        {
            "tin": [record_tin(r["rec_id"]) for r in right],
            "first_name": [r["given_name"] or "" for r in right],
            "last_name": [r["surname"] or "" for r in right],
            "date_of_birth": [birth_date(r["date_of_birth"]) for r in right],
            "street": [street_of(r) for r in right],
            "city": [r["suburb"] or "" for r in right],
            "state": [(r["state"] or "").upper() for r in right],
            "zip": [(r["postcode"] or "").zfill(5) for r in right],
            "tax_year": [YEAR] * len(right),
        }
    )
    con.register("febrl_master", master)
    con.execute(
        f"INSERT INTO {MASTER_TABLE} (tin, first_name, last_name, date_of_birth, street, city, "
        "state, zip, tax_year) SELECT * FROM febrl_master"
    )
    queries = [
        MatchQuery(
            key=r["rec_id"],
            first_name=r["given_name"],
            middle_name=None,
            last_name=r["surname"],
            name_suffix=None,
            date_of_birth=birth_date(r["date_of_birth"]),
            tin=None,
            street=street_of(r),
            unit=None,
            city=r["suburb"],
            state=(r["state"] or "").upper(),
            zip=(r["postcode"] or "").zfill(5),
            tax_years=frozenset({YEAR}),
        )
        for r in left
    ]
    started = time.perf_counter()
    build_index(con)
    lines = []
    base = train(con, work / "match")
    for label, params, learn in (
        ("default parameters", default_params(), False),
        ("u trained on the master", base, False),
        ("operator flow: m and prior by EM from the batch, release line at 0.9999", base, True),
    ):
        t0 = time.perf_counter()
        if learn:
            params = learn_from_requests(
                Matcher.open(con, params), queries, work / "match", "febrl"
            ).params
        results = Matcher.open(con, params).match_batch(queries)
        if learn:
            results, _ = hold_to_bound(results, params.thresholds.precision)
        seconds = time.perf_counter() - t0
        released = [r for r in results if r.verdict == "match"]
        right_ones = sum(r.tin == record_tin(r.key) for r in released)
        verdicts: dict[str, int] = {}
        for r in results:
            verdicts[r.verdict] = verdicts.get(r.verdict, 0) + 1
        precision = right_ones / len(released) if released else 1.0
        held = Counter(str(r.evidence.get("reason")) for r in results if r.verdict == "review")
        lines.append(
            f"- {label}: precision **{precision:.5f}** ({right_ones} of {len(released)}), "
            f"recall **{right_ones / len(queries):.4f}**, verdicts {verdicts}, "
            f"learning and match_batch {seconds:.1f} s; held for review because: "
            + "; ".join(f"{reason}: {n}" for reason, n in held.most_common())
        )
    lines.append(f"- not released in the operator flow, {not_released(results)}")
    body = "\n".join(
        [
            "Run: `.venv/bin/python bench/bench_matching_febrl.py`",
            "",
            f"- machine: {machine()}",
            f"- 5,000 queries (FEBRL4 A) against 5,000 taxpayers (FEBRL4 B); index and both runs "
            f"{time.perf_counter() - started:.1f} s; peak RSS {peak_memory_mb():.0f} MiB",
            *lines,
            "- FEBRL has no middle names, suffixes or relatives; its corruptions (typos in every "
            "field, missing values) are the 'typo' and 'dob' kinds of the synthetic data.",
        ]
    )
    print(body)
    write_section("FEBRL4", body)


if __name__ == "__main__":
    main()
