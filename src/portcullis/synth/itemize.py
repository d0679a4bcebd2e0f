"""Turn a drafted item into an item of a given kind and decide the outcome it should get."""

from __future__ import annotations

import random

from portcullis.synth.adversaries import ADVERSARIES
from portcullis.synth.draft import Draft
from portcullis.synth.kinds import AMBIGUOUS, DISCLOSED, KIND_BY_NAME
from portcullis.synth.mistakes import MISTAKES, SECOND_MISTAKES

SECOND_MISTAKE_SHARE = 0.25
# Share of non-filing relatives requested with the filing relative's TIN: the trap that a
# name-and-TIN-only match falls into, disclosing the relative's address.
RELATIVE_TIN_SHARE = 0.25
# Kinds where the subject's look-alike is told apart by fields that must stay accurate.
_LOOKALIKE_KINDS = ("twin", "jr_sr", "namesake", "cousin")


def _apply_if_possible(rng: random.Random, draft: Draft, name: str) -> None:
    if name not in draft.defects and MISTAKES[name](rng, draft):
        draft.defects.append(name)


def _add_second_mistake(rng: random.Random, draft: Draft, kind: str) -> None:
    options = [name for name in SECOND_MISTAKES if name != kind]
    _apply_if_possible(rng, draft, options[rng.randrange(len(options))])


def write_kind(
    rng: random.Random,
    kind: str,
    draft: Draft,
    jr_sr_partner: bool,
    relative_tin: str | None = None,
) -> str:
    """Apply the kind to the draft and return the kind actually written (clean if it could not)."""
    if kind in MISTAKES:
        if not MISTAKES[kind](rng, draft):
            kind = "clean"
        else:
            draft.defects.append(kind)
        if kind != "clean" and rng.random() < SECOND_MISTAKE_SHARE:
            _add_second_mistake(rng, draft, kind)
    elif kind in ADVERSARIES:
        if rng.random() < 0.2:
            _add_second_mistake(rng, draft, kind)
        ADVERSARIES[kind](rng, draft)
        draft.defects.append(kind)
    elif kind == "jr_sr" and rng.random() < 0.25:
        # Father and son share name and address: without a DOB nothing tells them apart.
        _apply_if_possible(rng, draft, "dob_missing")
        draft.item["name_suffix"] = None
        draft.defects.append("suffix_missing")
        if draft.item["tin"] is not None:
            draft.item["tin"] = None
            draft.defects[:] = [d for d in draft.defects if d != "tin_dashed"] + ["tin_missing"]
    elif kind in _LOOKALIKE_KINDS and rng.random() < 0.2:
        _apply_if_possible(rng, draft, "stale_address")
    elif kind in ("nonfiler_relative", "not_in_master"):
        if relative_tin is not None and rng.random() < RELATIVE_TIN_SHARE:
            draft.item["tin"] = relative_tin
            draft.defects.append("relative_tin")
        if rng.random() < 0.15:
            _apply_if_possible(rng, draft, "typo")
    if jr_sr_partner and draft.item["date_of_birth"] is None and draft.item["tin"] is None:
        draft.expected = AMBIGUOUS
    return kind


def expected_outcome(kind: str, draft: Draft) -> str:
    """Return the outcome a correct gateway reaches for the written item."""
    outcome = KIND_BY_NAME[kind].expected
    return draft.expected if outcome == DISCLOSED and draft.expected else outcome
