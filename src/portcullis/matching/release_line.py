"""The lines of a request: its releases meet the precision bound, its reviews can be settled.

Each match already clears the per-item line (its posterior, in bits). Across a request the
expected number of wrong releases is the sum of one minus each released item's posterior; the
line keeps the most certain matches for which that sum stays within (1 - precision) times their
number, and sends the others to review. Below the review floor, an item held for review whose
posterior that the best candidate is the person is under the program's `match_review_at` ends
no_match: a reviewer who approved it would more likely name a stranger than the person. Both
estimates are recorded with the request.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from portcullis.matching.result import MatchResult

DEMOTED_REASON = "the request's releases would exceed the expected error the precision bound allows"
BELOW_FLOOR_REASON = (
    "the posterior that the best candidate is the person is below the program's review floor"
)
# The default review floor: below an even chance, approving the best candidate would more often
# disclose someone else's address than the person's, so no reviewer could rightly release it.
REVIEW_FLOOR = 0.5


@dataclass(frozen=True, slots=True)
class ReleaseEstimate:
    """What the posterior says about one request's release set."""

    released: int
    expected_wrong: float
    precision_bound: float
    demoted: int
    review_floor: float = REVIEW_FLOOR
    closed: int = 0
    closed_expected_matches: float = 0.0

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
            "review_floor": self.review_floor,
            "closed_below_floor": self.closed,
            "closed_expected_matches": self.closed_expected_matches,
        }


def hold_to_bound(
    results: Sequence[MatchResult], precision: float, floor: float = REVIEW_FLOOR
) -> tuple[list[MatchResult], ReleaseEstimate]:
    """Return `results` held to the release line and the review floor, and the estimate.

    Matches past the release line are turned to review; items held for review under the floor
    are closed as no_match.

    Matches are taken most certain first; since each added item is no more certain than those
    before, the mean error only grows, so the line is the longest prefix whose mean error is
    within the bound. Only items the decision held are closed, never a match the line demotes;
    the expected number of true matches among the closed items is the sum of their posteriors.
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
    closing = [i for i, r in enumerate(results) if is_below_floor(r, floor)]
    for i in closing:
        out[i] = _closed(results[i])
    estimate = ReleaseEstimate(
        len(kept),
        expected,
        precision,
        len(ranked) - len(kept),
        floor,
        len(closing),
        sum(results[i].score for i in closing),
    )
    return out, estimate


def is_below_floor(result: MatchResult, floor: float) -> bool:
    """Return whether an item held for review is too unlikely to be its best candidate to hold."""
    return result.verdict == "review" and result.score < floor


def _closed(result: MatchResult) -> MatchResult:
    # The guard's reason stays beside the closing one, so the evidence shows why it was held.
    evidence = {
        **result.evidence,
        "reason": BELOW_FLOOR_REASON,
        "held_for": result.evidence["reason"],
    }
    return dataclasses.replace(
        result, verdict="no_match", tin=None, address=None, evidence=evidence
    )


def _demoted(result: MatchResult) -> MatchResult:
    evidence = {**result.evidence, "reason": DEMOTED_REASON}
    return dataclasses.replace(result, verdict="review", evidence=evidence)
