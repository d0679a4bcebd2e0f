"""The release line as `requests process` draws it: per request of the operator's size."""

from __future__ import annotations

from collections.abc import Sequence

from portcullis.matching import MatchResult
from portcullis.matching.release_line import REVIEW_FLOOR, hold_to_bound

# The operator flow submits the batch in requests of this many items (README, docs/matching.md).
REQUEST_SIZE = 5_000


def hold_per_request(
    results: Sequence[MatchResult], precision: float, floor: float = REVIEW_FLOOR
) -> tuple[list[MatchResult], float]:
    """Return the results held to each request's release line and floor, and expected wrong."""
    held: list[MatchResult] = []
    expected_wrong = 0.0
    for start in range(0, len(results), REQUEST_SIZE):
        chunk, estimate = hold_to_bound(
            list(results[start : start + REQUEST_SIZE]), precision, floor
        )
        held.extend(chunk)
        expected_wrong += estimate.expected_wrong
    return held, expected_wrong
