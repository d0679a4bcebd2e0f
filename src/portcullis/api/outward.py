"""What a requesting agency may learn of an outcome: silent reasons are shown as no_match."""

from __future__ import annotations

from collections.abc import Sequence

from portcullis.checks import REASONS


def outward_outcome(outcome: str, reason_codes: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """Return the outcome and codes a requester sees, hiding every silent reason (§6103(i)(6))."""
    if any(_silent(code) for code in reason_codes):
        # A withheld person must look exactly like one the IRS does not know.
        return "no_match", ()
    return outcome, tuple(code for code in reason_codes if code)


def _silent(code: str) -> bool:
    reason = REASONS.get(code)
    return reason is not None and reason.silent
