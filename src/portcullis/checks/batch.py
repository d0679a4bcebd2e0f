"""The batch check: a high refusal share holds the whole request for a reviewer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from portcullis.checks.findings import Finding, finding
from portcullis.programs import Program


@dataclass(frozen=True, slots=True)
class BatchVerdict:
    """How many items were refused, and whether the whole request waits for review."""

    items: int
    refused: int
    refusal_share: float
    hold: bool
    finding: Finding | None

    def passes(self) -> bool:
        """Tell whether the batch may proceed; passing never lets a refused item through."""
        return not self.hold


def check_batch(findings: Sequence[tuple[Finding, ...]], program: Program) -> BatchVerdict:
    """Hold the request for review when its refusal share exceeds the program's bound."""
    total = len(findings)
    refused = sum(1 for item in findings if item)
    share = refused / total if total else 0.0
    bound = program.review.max_refusal_share
    # While the program is stopped every item is refused with the order's reference: that is
    # expected, and holding the request would turn those refusals into pending reviews.
    hold = program.status == "active" and share > bound
    reason = None
    if hold:
        message = (
            f"{refused} of {total} items refused ({share:.0%}), above the bound of {bound:.0%}"
        )
        reason = finding("batch_held_for_review", message)
    return BatchVerdict(total, refused, share, hold, reason)
