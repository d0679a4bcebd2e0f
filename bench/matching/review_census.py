"""Every item a synthetic batch sends to review, by reason, truth and posterior.

Usage: .venv/bin/python bench/matching/review_census.py [--taxpayers N] [--items N] [--seed S]
       [--csv FILE]
Decides one batch by the operator's flow (as bench/bench_matching_accuracy.py does) and prints,
for the items held for review, how many there are per decision reason and per generator kind,
whether the best candidate is the true taxpayer (or the person is not on file at all), and how
the model's posterior that the best candidate is the person is spread over them.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching.data import Truth
from matching.flow import decide_synthetic
from matching.scoring import fact_of
from portcullis.matching import MatchResult
from portcullis.matching.release_line import REVIEW_FLOOR

# Posterior bands the census counts in, from "almost surely someone else or nobody" upwards.
BANDS = (0.0, 0.001, 0.01, 0.05, 0.2, 0.5, 0.9, 0.99, 0.9999, 1.0001)
FACTS = ("best is the person", "best is someone else", "not on file")


@dataclass(frozen=True)
class Held:
    """One item held for review with what the truth says about it."""

    reason: str
    kind: str
    fact: str
    posterior: float
    nobody: float
    levels: str


def nobody_share(evidence: dict[str, Any]) -> float:
    """Return the posterior that the person is neither of the two candidates the evidence shows."""
    totals = [float(c["total"]) for c in (evidence["best"], evidence["runner_up"]) if c]
    return 1.0 / (1.0 + sum(math.pow(2.0, min(t, 60.0)) for t in totals))


def held_items(results: Sequence[MatchResult], truths: Sequence[Truth]) -> list[Held]:
    """Return the items held for review with their reason, kind, truth and posterior."""
    return [
        Held(
            str(r.evidence["reason"]),
            t.kind,
            fact_of(r, t),
            r.score,
            nobody_share(r.evidence),
            " ".join(f"{k}={v['level']}" for k, v in r.evidence["best"]["fields"].items()),
        )
        for r, t in zip(results, truths, strict=True)
        if r.verdict == "review"
    ]


def band_of(posterior: float) -> str:
    """Return the label of the posterior band `posterior` falls in."""
    for low, high in itertools.pairwise(BANDS):
        if posterior < high:
            return f"[{low:g}, {min(high, 1.0):g})"
    return "1"


def table(
    held: Sequence[Held], title: str, key: Callable[[Held], str], by_size: bool = True
) -> list[str]:
    """Return one markdown table of the held items grouped by `key`, largest group first."""
    lines = [
        f"| {title} | items | " + " | ".join(FACTS) + " | median posterior |",
        "|---|" + "---:|" * (len(FACTS) + 2),
    ]
    groups: dict[str, list[Held]] = defaultdict(list)
    for h in held:
        groups[key(h)].append(h)
    ordered = sorted(groups.items(), key=lambda kv: -len(kv[1])) if by_size else groups.items()
    for name, group in ordered:
        count = Counter(h.fact for h in group)
        median = sorted(h.posterior for h in group)[len(group) // 2]
        cells = " | ".join(str(count[f]) for f in FACTS)
        lines.append(f"| {name} | {len(group)} | {cells} | {median:.4g} |")
    return lines


def tables(held: Sequence[Held]) -> str:
    """Return the census as markdown tables: by reason, by posterior band, by generator kind."""
    return "\n".join(
        [
            *table(held, "reason", lambda h: h.reason),
            "",
            *table(
                sorted(held, key=lambda h: h.posterior),
                "posterior band",
                lambda h: band_of(h.posterior),
                by_size=False,
            ),
            "",
            *table(held, "kind", lambda h: h.kind),
        ]
    )


def main() -> None:
    """Decide one synthetic batch and print the census of its review items."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--taxpayers", type=int, default=50_000)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=777)
    parser.add_argument("--csv", type=Path, help="also write one row per held item here")
    parser.add_argument(
        "--review-floor",
        type=float,
        default=REVIEW_FLOOR,
        help="close held items whose posterior is below this (0: hold every one, as before)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="portcullis-census-"))
    decided = decide_synthetic(
        args.taxpayers, args.items, args.seed, work, "operator", args.review_floor
    )
    held = held_items(decided.results, decided.truths)
    verdicts = Counter(r.verdict for r in decided.results)
    print(
        f"{len(decided.results)} evaluated items; verdicts {dict(verdicts)}; "
        f"{len(held)} to review ({len(held) / len(decided.results):.1%})\n"
    )
    print(tables(held))
    if args.csv:
        with args.csv.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(("reason", "kind", "fact", "posterior", "nobody", "levels"))
            writer.writerows(
                (h.reason, h.kind, h.fact, h.posterior, h.nobody, h.levels) for h in held
            )


if __name__ == "__main__":
    main()
