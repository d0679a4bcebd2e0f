"""Accuracy of releases on synthetic ground truth with adversarial items.

Usage: .venv/bin/python bench/bench_matching_accuracy.py [--taxpayers N] [--items N] [--seed S]
Generates a population and two request batches (one to train m, one to evaluate), builds the
index, trains, matches the evaluation batch and writes bench/results/matching.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from matching.blocking import blocking_recall
from matching.flow import decide_synthetic
from matching.report import machine, peak_memory_mb, write_section
from matching.scoring import closed_breakdown, review_breakdown, score_releases

from portcullis.matching.release_line import REVIEW_FLOOR


def main() -> None:
    """Run the accuracy benchmark and write its section of the results file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--taxpayers", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=6103)
    parser.add_argument("--show-wrong", type=int, default=5)
    parser.add_argument(
        "--flow",
        choices=("operator", "labelled"),
        default="operator",
        help="operator: u from the master, m and prior learned by EM from the batch decided "
        "(what 'requests process' does); labelled: m from a labelled training batch",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="portcullis-accuracy-"))
    started = time.perf_counter()
    decided = decide_synthetic(args.taxpayers, args.items, args.seed, work, args.flow)
    con, params, queries, truths = decided.con, decided.params, decided.queries, decided.truths
    results, expected_wrong, learned = decided.results, decided.expected_wrong, decided.learned
    population = decided.population
    reached, filing, unreached = blocking_recall(con, queries, truths)
    released = [r.tin if r.verdict == "match" else None for r in results]
    accuracy = score_releases(released, truths)
    for r in results:
        accuracy.verdicts[r.verdict] += 1
    review = review_breakdown(results, truths)
    shown = 0
    for result, truth in zip(results, truths, strict=True):
        if result.verdict == "match" and result.tin != truth.true_tin and shown < args.show_wrong:
            shown += 1
            print("WRONG", truth, result.key, result.evidence["best"], file=sys.stderr)
    wrong = ", ".join(f"{k}: {v}" for k, v in sorted(accuracy.wrong_by_kind.items())) or "none"
    missed = ", ".join(f"{k}: {v}" for k, v in accuracy.missed_by_kind.most_common())
    command = (
        "bench/bench_matching_accuracy.py "
        f"--taxpayers {args.taxpayers} --items {args.items} --seed {args.seed}"
    )
    timing = (
        ", ".join(f"{stage} {s:.1f} s" for stage, s in decided.seconds.items()) + ", "
        f"total {time.perf_counter() - started:.1f} s; peak RSS {peak_memory_mb():.0f} MiB"
    )
    body = "\n".join(
        [
            f"Run: `.venv/bin/python {command}`",
            "",
            f"- machine: {machine()}",
            f"- master: {population.master.num_rows} rows, {args.taxpayers} people generated; "
            f"model {params.version}: u from the master, {learned}",
            f"- evaluated items (refused items excluded): {len(queries)}; "
            f"should be released: {accuracy.should_release}",
            f"- verdicts: {dict(accuracy.verdicts)}",
            f"- **precision of releases: {accuracy.precision:.5f}** "
            f"({accuracy.right} right of {accuracy.releases} released)",
            f"- **recall: {accuracy.recall:.4f}**",
            f"- calibration: the posterior expected {expected_wrong:.3f} wrong releases; "
            f"measured {accuracy.releases - accuracy.right}",
            f"- blocking recall (the filing person shares a key with the item): "
            f"**{reached:.4f}** of {filing} items; not reached, by kind: "
            + (", ".join(f"{k}: {v}" for k, v in unreached.most_common()) or "none"),
            f"- wrong releases by kind: {wrong}",
            f"- to review, by reason and what the truth is: {review}",
            f"- held items closed as no_match by the review floor "
            f"({REVIEW_FLOOR:g}): {closed_breakdown(results, truths)}",
            f"- not released although they should have been, by kind: {missed}",
            f"- wall time: {timing}",
        ]
    )
    print(body)
    write_section(f"Accuracy on synthetic data ({args.taxpayers} taxpayers, {args.flow})", body)


if __name__ == "__main__":
    main()
