"""Precision and recall of releases against ground truth, with wrong releases by kind."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from portcullis.matching import MatchResult

from .data import Truth


@dataclass
class Accuracy:
    """Counts behind precision and recall of automatic releases."""

    releases: int = 0
    right: int = 0
    should_release: int = 0
    wrong_by_kind: Counter[str] = field(default_factory=Counter)
    verdicts: Counter[str] = field(default_factory=Counter)
    missed_by_kind: Counter[str] = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        return self.right / self.releases if self.releases else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.should_release if self.should_release else 0.0


def score_releases(released: Sequence[str | None], truths: Sequence[Truth]) -> Accuracy:
    """Return accuracy given the TIN released per item (None when nothing was released)."""
    result = Accuracy()
    for tin, truth in zip(released, truths, strict=True):
        wanted = truth.expected == "disclosed" and truth.true_tin is not None
        result.should_release += int(wanted)
        if tin is None:
            if wanted:
                result.missed_by_kind[truth.kind] += 1
            continue
        result.releases += 1
        if tin == truth.true_tin:
            result.right += 1
        else:
            result.wrong_by_kind[truth.kind] += 1
    return result


def review_breakdown(results: list[MatchResult], truths: list[Truth]) -> str:
    """Return the items sent to review counted by reason and by whether the best is the person."""
    counts: Counter[tuple[str, str]] = Counter()
    for result, truth in zip(results, truths, strict=True):
        if result.verdict != "review":
            continue
        if truth.true_tin is None:
            fact = "not on file"
        elif result.tin == truth.true_tin:
            fact = "best is the person"
        else:
            fact = "best is someone else"
        counts[(str(result.evidence.get("reason", "")), fact)] += 1
    return "; ".join(f"{reason} / {fact}: {n}" for (reason, fact), n in counts.most_common())
