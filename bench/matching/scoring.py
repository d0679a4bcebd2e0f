"""Precision and recall of releases against ground truth, with wrong releases by kind."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from portcullis.matching import MatchResult
from portcullis.matching.release_line import BELOW_FLOOR_REASON

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


def fact_of(result: MatchResult, truth: Truth) -> str:
    """Return whether the best candidate is the person, someone else, or the person not on file."""
    if truth.true_tin is None:
        return "not on file"
    best = result.evidence.get("best") or {}
    return "best is the person" if best.get("tin") == truth.true_tin else "best is someone else"


def review_breakdown(results: list[MatchResult], truths: list[Truth]) -> str:
    """Return the items sent to review counted by reason and by whether the best is the person."""
    counts: Counter[tuple[str, str]] = Counter()
    for result, truth in zip(results, truths, strict=True):
        if result.verdict != "review":
            continue
        counts[(str(result.evidence.get("reason", "")), fact_of(result, truth))] += 1
    return "; ".join(f"{reason} / {fact}: {n}" for (reason, fact), n in counts.most_common())


def closed_breakdown(results: list[MatchResult], truths: list[Truth]) -> str:
    """Return the held items the review floor closed as no_match, by what the truth is."""
    counts: Counter[str] = Counter()
    expected = 0.0
    for result, truth in zip(results, truths, strict=True):
        if result.evidence.get("reason") == BELOW_FLOOR_REASON:
            counts[fact_of(result, truth)] += 1
            expected += result.score
    facts = ", ".join(f"{fact}: {n}" for fact, n in counts.most_common()) or "none"
    return f"{counts.total()} ({facts}; the posterior expected {expected:.2f} of them the person)"
