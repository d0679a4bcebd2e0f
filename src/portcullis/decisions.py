"""The outcome of one item from its findings and its match: the only place one is made."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from portcullis.checks import Finding
from portcullis.matching import MatchResult

Outcome = Literal["disclosed", "refused", "no_match", "ambiguous", "pending_review"]
FINAL_OUTCOMES: frozenset[str] = frozenset({"disclosed", "refused", "no_match", "ambiguous"})

# Codes the decision itself adds; statutory and program codes come from portcullis.checks.
HELD_BY_BATCH = "batch_held_for_review"
MATCH_UNCERTAIN = "match_needs_review"


@dataclass(frozen=True, slots=True)
class Decision:
    """An outcome with the reason codes behind it and the match it rests on (if any)."""

    outcome: Outcome
    reason_codes: tuple[str, ...]
    match: MatchResult | None

    @property
    def is_final(self) -> bool:
        return self.outcome in FINAL_OUTCOMES


def decide(
    findings: Sequence[Finding],
    match: MatchResult | None,
    *,
    after_match: Sequence[Finding] = (),
    batch_held: bool = False,
    notes: Sequence[Finding] = (),
) -> Decision:
    """Combine checks and matching into one outcome; anything short of certainty discloses nothing.

    `findings` are the statutory and program findings made before matching; `after_match` are those
    that need the matched taxpayer (the exclusion screen, address agreement). `notes` (optional
    fields that could not be read) never change the outcome; their codes follow the outcome's own.
    """
    decision = _outcome(findings, match, after_match, batch_held)
    if not notes:
        return decision
    codes = tuple(dict.fromkeys([*decision.reason_codes, *(note.code for note in notes)]))
    return Decision(decision.outcome, codes, decision.match)


def _outcome(
    findings: Sequence[Finding],
    match: MatchResult | None,
    after_match: Sequence[Finding],
    batch_held: bool,
) -> Decision:
    if findings:
        return Decision("refused", _codes(findings), None)
    if match is None:
        raise ValueError("an item that passed its checks must have a match result")
    if match.verdict == "ambiguous":
        return Decision("ambiguous", (), match)
    if match.verdict == "no_match":
        return Decision("no_match", (), match)
    if after_match:
        return Decision("refused", _codes(after_match), match)
    if match.verdict == "review":
        return Decision("pending_review", (MATCH_UNCERTAIN,), match)
    if batch_held:
        return Decision("pending_review", (HELD_BY_BATCH,), match)
    return Decision("disclosed", (), match)


def _codes(findings: Sequence[Finding]) -> tuple[str, ...]:
    seen: list[str] = []
    for finding in findings:
        if finding.code not in seen:
            seen.append(finding.code)
    return tuple(seen)
