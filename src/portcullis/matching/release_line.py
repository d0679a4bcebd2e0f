"""The release line of a request: its releases, taken together, meet the precision bound.

Each match already clears the per-item line (its posterior, in bits). Across a request the
expected number of wrong releases is the sum of one minus each released item's posterior; the
line keeps the most certain matches for which that sum stays within (1 - precision) times their
number, and sends the others to review. The estimate is recorded with the request.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from portcullis.matching.result import MatchResult

DEMOTED_REASON = "the request's releases would exceed the expected error the precision bound allows"


@dataclass(frozen=True, slots=True)
class ReleaseEstimate:
    """What the posterior says about one request's release set."""

    released: int
    expected_wrong: float
    precision_bound: float
    demoted: int

    @property
    def expected_precision(self) -> float:
        """Return the estimated share of the releases that name the right taxpayer."""
        return 1.0 - self.expected_wrong / self.released if self.released else 1.0

    def as_json(self) -> dict[str, float | int]:
        """Return the estimate as stored with the request."""
        return {
            "released": self.released,
            "expected_wrong": self.expected_wrong,
            "expected_precision": self.expected_precision,
            "precision_bound": self.precision_bound,
            "demoted_to_review": self.demoted,
        }


def hold_to_bound(
    results: Sequence[MatchResult], precision: float
) -> tuple[list[MatchResult], ReleaseEstimate]:
    """Return `results` with the matches past the release line turned to review, and the estimate.

    Matches are taken most certain first; since each added item is no more certain than those
    before, the mean error only grows, so the line is the longest prefix whose mean error is
    within the bound.
    """
    allowed = 1.0 - precision
    ranked = sorted(
        (i for i, r in enumerate(results) if r.verdict == "match"), key=lambda i: -results[i].score
    )
    kept: set[int] = set()
    expected = 0.0
    for i in ranked:
        error = 1.0 - results[i].score
        if expected + error > allowed * (len(kept) + 1):
            break
        kept.add(i)
        expected += error
    out = [r if r.verdict != "match" or i in kept else _demoted(r) for i, r in enumerate(results)]
    estimate = ReleaseEstimate(len(kept), expected, precision, len(ranked) - len(kept))
    return out, estimate


def _demoted(result: MatchResult) -> MatchResult:
    evidence = {**result.evidence, "reason": DEMOTED_REASON}
    return dataclasses.replace(result, verdict="review", evidence=evidence)
