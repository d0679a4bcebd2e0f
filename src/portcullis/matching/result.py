"""What matching returns: a verdict, the taxpayer and address when one is found, the evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Verdict = Literal["match", "ambiguous", "no_match", "review"]
VERDICTS: tuple[Verdict, ...] = ("match", "ambiguous", "no_match", "review")


@dataclass(frozen=True, slots=True)
class ReleaseAddress:
    """The last known address within the request's tax years, as filed."""

    street: str
    unit: str | None
    city: str
    state: str
    zip: str
    tax_year: int


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The verdict for one query with the evidence that explains it."""

    key: str
    verdict: Verdict
    tin: str | None
    score: float
    match_weight: float
    address: ReleaseAddress | None
    evidence: dict[str, Any]
    model_version: str
