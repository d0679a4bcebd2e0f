"""Generate a request batch with ground truth from a population, deterministically by seed."""

from __future__ import annotations

import random

import pyarrow as pa

from portcullis.synth.candidates import Candidates, find_candidates
from portcullis.synth.draft import ITEM_COLUMNS, Item, draft_item
from portcullis.synth.itemize import expected_outcome, write_kind
from portcullis.synth.kinds import KIND_BY_NAME, REFUSED, plan_kinds
from portcullis.synth.model import TRUTH_COLUMNS, Population, RequestBatch
from portcullis.synth.paperwork import OfficerRoster
from portcullis.synth.subjects import load_subjects

# Share of items carrying a TIN the requester knows; refused items carry one more often, since
# a TIN is exactly what tempts a gateway to skip the address check.
TIN_SHARE = 0.25
REFUSED_TIN_SHARE = 0.5
_PARTNER_ORDER = ("jr_sr", "twin", "namesake", "cousin")


def _pick_people(
    rng: random.Random, plan: list[str], candidates: Candidates
) -> list[tuple[str, int]]:
    used: set[int] = set()
    picks: list[tuple[str, int]] = []
    for kind in plan:
        pool = candidates.pools[KIND_BY_NAME[kind].pool]
        if not pool:
            kind, pool = "clean", candidates.pools["filer"]
        pick = pool[rng.randrange(len(pool))]
        # Prefer people not yet requested; a small population may have to repeat someone.
        for _ in range(20):
            if pick not in used:
                break
            pick = pool[rng.randrange(len(pool))]
        used.add(pick)
        picks.append((kind, pick))
    return picks


def _partner_of(kind: str, index: int, candidates: Candidates) -> int | None:
    for name in (kind, *_PARTNER_ORDER):
        partner = candidates.partner.get(name, {}).get(index)
        if partner is not None:
            return partner
    return None


def generate_request(
    population: Population,
    n_items: int,
    seed: int,
    adversarial_share: float = 0.15,
    nomatch_share: float = 0.12,
) -> RequestBatch:
    """Return a request of n_items rows and its truth, the same for the same population and seed."""
    rng = random.Random(f"portcullis-request:{seed}")
    plan = plan_kinds(rng, n_items, adversarial_share, nomatch_share)
    candidates = find_candidates(population)
    if not candidates.pools["filer"]:
        candidates.pools["filer"].extend(range(population.people.num_rows))
    picks = _pick_people(rng, plan, candidates)
    relatives = candidates.partner["nonfiler_relative"]
    wanted = [index for _, index in picks]
    wanted += [relatives[i] for kind, i in picks if kind == "nonfiler_relative"]
    subjects = load_subjects(population, wanted)
    roster = OfficerRoster(rng, n_items)
    first_serial = rng.randrange(1, 500_000)
    items: list[Item] = []
    truth: dict[str, list[object]] = {name: [] for name in TRUTH_COLUMNS}
    jr_sr = candidates.partner["jr_sr"]
    for row, (planned, index) in enumerate(picks, start=1):
        subject = subjects[index]
        tin_share = REFUSED_TIN_SHARE if KIND_BY_NAME[planned].expected == REFUSED else TIN_SHARE
        draft = draft_item(rng, subject, first_serial + row, roster, tin_share)
        relative = subjects[relatives[index]].tin if planned == "nonfiler_relative" else None
        kind = write_kind(rng, planned, draft, index in jr_sr, relative)
        if kind == "duplicate_item_id" and items:
            draft.item["item_id"] = items[rng.randrange(len(items))]["item_id"]
        elif kind == "duplicate_item_id":
            # Only a one-row batch gets here: with nothing to copy, the item is simply clean.
            draft.defects.remove(kind)
            kind = "clean"
        items.append(draft.item)
        partner = _partner_of(kind, index, candidates)
        truth["row"].append(row)
        truth["item_id"].append(draft.item["item_id"])
        truth["person_id"].append(subject.person_id)
        truth["true_tin"].append(subject.tin if subject.is_filer else None)
        truth["kind"].append(kind)
        truth["defects"].append(";".join(draft.defects))
        truth["expected"].append(expected_outcome(kind, draft))
        truth["confusable_with"].append(None if partner is None else f"P{partner:08d}")
    table = pa.table(
        {name: pa.array([item[name] for item in items], pa.string()) for name in ITEM_COLUMNS}
    )
    truth_table = pa.table(
        {
            name: pa.array(values, pa.int32() if name == "row" else pa.string())
            for name, values in truth.items()
        }
    )
    return RequestBatch(table, truth_table, seed)
