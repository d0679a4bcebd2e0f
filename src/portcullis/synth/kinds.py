"""The kinds of request item, what each should lead to, and how many of each a batch gets."""

from __future__ import annotations

import random
from dataclasses import dataclass

from portcullis.synth.errors import SynthSizeInvalid

DISCLOSED = "disclosed"
NO_MATCH = "no_match"
REFUSED = "refused"
AMBIGUOUS = "ambiguous"


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of item: its name, the people it is drawn from, its outcome and its weight."""

    name: str
    pool: str
    expected: str
    weight: float


# Weights are relative within each outcome group; the group shares come from the caller.
KINDS: tuple[Kind, ...] = (
    Kind("clean", "filer", DISCLOSED, 30),
    Kind("typo", "filer", DISCLOSED, 8),
    Kind("nickname", "nickname", DISCLOSED, 6),
    Kind("transliteration", "transliteration", DISCLOSED, 3),
    Kind("dropped_maternal_surname", "maternal", DISCLOSED, 5),
    Kind("accents_dropped", "accented", DISCLOSED, 5),
    Kind("former_surname", "renamed", DISCLOSED, 3),
    Kind("name_swap", "filer", DISCLOSED, 4),
    Kind("dob_day_month_swap", "dob_swappable", DISCLOSED, 4),
    Kind("dob_year_off", "filer", DISCLOSED, 4),
    Kind("dob_missing", "filer", DISCLOSED, 5),
    Kind("stale_address", "mover", DISCLOSED, 8),
    Kind("twin", "twin", DISCLOSED, 3),
    Kind("jr_sr", "jr_sr", DISCLOSED, 3),
    Kind("namesake", "namesake", DISCLOSED, 4),
    Kind("cousin", "cousin", DISCLOSED, 1),
    Kind("nonfiler_relative", "nonfiler_relative", NO_MATCH, 2),
    Kind("not_in_master", "not_in_master", NO_MATCH, 1),
    Kind("zip_only_address", "filer", REFUSED, 3),
    Kind("placeholder_address", "filer", REFUSED, 3),
    Kind("missing_name", "filer", REFUSED, 2),
    Kind("missing_statute", "filer", REFUSED, 2),
    Kind("missing_reason", "filer", REFUSED, 2),
    Kind("civil_statute", "filer", REFUSED, 2),
    Kind("tax_statute", "filer", REFUSED, 2),
    Kind("duplicate_item_id", "filer", REFUSED, 2),
)
KIND_BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}


def _allocate(total: int, kinds: list[Kind]) -> dict[str, int]:
    weight = sum(kind.weight for kind in kinds)
    exact = [total * kind.weight / weight for kind in kinds]
    counts = [int(x) for x in exact]
    # Largest remainders get the leftover items; ties go to the earlier kind, deterministically.
    order = sorted(range(len(kinds)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return {kind.name: count for kind, count in zip(kinds, counts, strict=True)}


def plan_kinds(
    rng: random.Random, n_items: int, adversarial_share: float, nomatch_share: float
) -> list[str]:
    """Return the kind of each row, in row order, with every kind present in larger batches."""
    if n_items < 1:
        raise SynthSizeInvalid(f"items must be at least 1, not {n_items}")
    if min(adversarial_share, nomatch_share) < 0 or adversarial_share + nomatch_share >= 1:
        raise SynthSizeInvalid("adversarial and no-match shares must be >= 0 and sum below 1")
    refused = round(n_items * adversarial_share)
    no_match = round(n_items * nomatch_share)
    counts: dict[str, int] = {}
    for expected, total in (
        (REFUSED, refused),
        (NO_MATCH, no_match),
        (DISCLOSED, n_items - refused - no_match),
    ):
        counts.update(_allocate(total, [k for k in KINDS if k.expected == expected]))
    if n_items >= 3 * len(KINDS):
        for kind in KINDS:
            while counts[kind.name] < 2:
                counts[kind.name] += 1
                counts["clean"] -= 1
    rows = [name for kind in KINDS for name in [kind.name] * counts[kind.name]]
    rng.shuffle(rows)
    # A duplicate item id needs an earlier row to copy; never let one open the batch.
    if rows[0] == "duplicate_item_id":
        swap = next((i for i, name in enumerate(rows) if name != "duplicate_item_id"), 0)
        rows[0], rows[swap] = rows[swap], rows[0]
    return rows
