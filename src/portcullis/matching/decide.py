"""Decision rules: from the best and runner-up candidates to a verdict, in plain, testable steps."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from portcullis.matching.params import (
    DOB_AGREES,
    GIVEN_AGREES,
    LEVELS,
    SURNAME_AGREES,
    TF_FIELDS,
    MatchParams,
)
from portcullis.matching.release_line import DEMOTED_REASON
from portcullis.matching.result import Verdict

# The identity guard: even a high score releases nothing unless the name itself agrees (at one
# of the agreeing levels of params.py) and no identifying field contradicts. A relative at the
# same address fails here, whatever the score. A former surname is one the taxpayer filed under
# in an earlier year: the same person.
# The household address: the person's own, or a relative's who lives there.
HOUSEHOLD_ADDRESS = frozenset({"exact", "street"})
CONTRADICTIONS = {"dob": "disagree", "suffix": "disagree", "middle": "disagree", "tin": "disagree"}

Candidate = Mapping[str, Any]

RELEASABLE = "unique taxpayer above the release threshold"
BETWEEN_LINES = "score between the review and release thresholds"
SWAPPED_ELSEWHERE = "names swapped and the address differs"


def given_only(level: str) -> str:
    """Return the held reason for a given name that agrees only at `level` (fuzzy, initial...)."""
    return f"given name only {level}"


# Held reasons a reviewer can settle from what the item and the candidate show side by side: two
# spellings of one name, an initial, names written the other way round, or every field agreeing
# (an item held only because its request was, or with the score short of the line). The others
# need what neither record holds (a birth date, the person's TIN, a missing name, a twin's middle
# name), so a reviewer can seldom settle them.
SETTLED_BY_SIGHT: tuple[str, ...] = (
    RELEASABLE,
    given_only("fuzzy"),
    given_only("initial"),
    SWAPPED_ELSEWHERE,
    BETWEEN_LINES,
    DEMOTED_REASON,
)


@dataclass(frozen=True, slots=True)
class Decision:
    """A verdict, the candidate it names (if any) and the reason in a few words."""

    verdict: Verdict
    chosen: Candidate | None
    reason: str


def decide(candidates: Sequence[Candidate], params: MatchParams) -> Decision:
    """Return the verdict for one query's candidates, best first (the top few are enough)."""
    limits = params.thresholds
    if not candidates or candidates[0]["weight"] < limits.review:
        return Decision("no_match", None, "no candidate reaches the review threshold")
    best = candidates[0]
    if best["given"] == "disagree":
        return Decision("no_match", None, "the given name disagrees")
    rivals = [c for c in candidates[1:] if is_plausible(c, params)]
    if rivals and best["weight"] - rivals[0]["weight"] < limits.margin:
        return Decision("ambiguous", None, "two or more taxpayers are plausible")
    if best["scope_year"] is None:
        return Decision("no_match", None, "no address on file within the requested tax years")
    problem = guard_problem(candidates, params)
    if problem is None and posterior_bits(candidates) >= limits.release:
        return Decision("match", best, RELEASABLE)
    return Decision("review", best, problem or BETWEEN_LINES)


def is_plausible(candidate: Candidate, params: MatchParams) -> bool:
    """Return whether a candidate could be the person: scored high enough and not contradicted."""
    if candidate["weight"] < params.thresholds.review:
        return False
    # A different given name, generational suffix or birth date rules a relative out: this is how
    # Jr is told from Sr and one twin from the other.
    return not any(candidate[name] == "disagree" for name in ("given", "suffix", "dob"))


def posterior_bits(candidates: Sequence[Candidate], column: str = "weight") -> float:
    """Return log2 of the posterior odds that the best candidate is the person named.

    Each candidate's weight already holds the prior, log2(p / ((1 - p) N)), so the odds against
    the best one are "not on file" (1) plus every other candidate (2^w): rivals close behind
    lower the odds, as they should.
    """
    best = float(candidates[0][column])
    against = 1.0 + sum(math.pow(2.0, min(float(c["weight"]), 60.0)) for c in candidates[1:])
    return best - math.log2(against)


def posterior(candidates: Sequence[Candidate]) -> float:
    """Return the calibrated probability that the best candidate is the person named."""
    if not candidates:
        return 0.0
    bits = posterior_bits(candidates)
    if bits > 60:
        return 1.0
    odds = math.pow(2.0, bits)
    return odds / (1.0 + odds)


def guard_problem(candidates: Sequence[Candidate], params: MatchParams) -> str | None:
    """Return why the best candidate may not be released automatically, or None when it may."""
    best = candidates[0]
    if best["given"] not in GIVEN_AGREES:
        return given_only(str(best["given"]))
    if best["given"] == "swapped" and best["address"] not in ("exact", "street"):
        # Swapped names are a weaker identity: two relatives can carry each other's names.
        return SWAPPED_ELSEWHERE
    if best["surname"] not in SURNAME_AGREES:
        return f"surname {best['surname']}"
    if best["dob"] not in DOB_AGREES and best["tin"] != "agree":
        # Without a birth date (or the person's own TIN) a father and son of the same name, or a
        # namesake who files while the person does not, cannot be told apart from the data.
        return "no agreeing date of birth or TIN to tell relatives apart"
    if (
        best["given"] == "nickname"
        and best["address"] in HOUSEHOLD_ADDRESS
        and not (best["tin"] == "agree" or best["middle"] == "exact")
    ):
        # A twin who does not file has the filer's surname, birth date and address, and often a
        # given name that is a nickname form of the filer's (Mary for Maria): only the person's
        # own TIN or middle name tells the two apart. A `variant` (Muhammad for Mohammed) is not
        # held here: it is one name in two romanisations, and twins are not given one name.
        return "given name only a nickname form at the same household: a twin would look the same"
    for field_name, bad in CONTRADICTIONS.items():
        if best[field_name] == bad:
            return f"{field_name} disagrees"
    release = params.thresholds.release
    if posterior_bits(candidates) >= release > posterior_bits(candidates, "weight_without_tin"):
        return "the requester's TIN cannot make a match alone"
    return None


def summarise(candidate: Candidate) -> dict[str, Any]:
    """Return a candidate's per-field levels and weights and its total, ready for JSON."""
    fields = {
        name: {"level": candidate[name], "weight": round(float(candidate[f"w_{name}"]), 3)}
        for name in LEVELS
    }
    for name in TF_FIELDS:
        fields[name]["tf_adjustment"] = round(float(candidate[f"tf_{name}"]), 3)
    return {
        "tin": candidate["cand_tin"],
        "fields": fields,
        "total": round(float(candidate["weight"]), 3),
        "total_without_tin": round(float(candidate["weight_without_tin"]), 3),
        "blocking_keys": list(candidate["kinds"]),
        "address_tax_year_in_scope": candidate["scope_year"],
    }


def evidence_of(
    decision: Decision, candidates: Sequence[Candidate], params: MatchParams
) -> dict[str, Any]:
    """Return the JSON-serialisable evidence stored with a decision."""
    best = candidates[0] if candidates else None
    runner = candidates[1] if len(candidates) > 1 else None
    return {
        "reason": decision.reason,
        "candidate_count": int(best["candidates"]) if best else 0,
        "best": summarise(best) if best else None,
        "runner_up": summarise(runner) if runner else None,
        "thresholds": {
            "release": params.thresholds.release,
            "review": params.thresholds.review,
            "margin": params.thresholds.margin,
            "precision": params.thresholds.precision,
        },
        "prior_weight": params.prior_weight,
        "posterior": posterior(candidates),
        "model": {"version": params.version, "program": params.program},
    }
