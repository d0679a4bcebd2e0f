"""Tests for portcullis.synth.kinds."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from portcullis.synth.errors import SynthSizeInvalid
from portcullis.synth.kinds import DISCLOSED, KIND_BY_NAME, KINDS, NO_MATCH, REFUSED, plan_kinds


def test_plan_has_one_kind_per_row_and_every_kind_twice() -> None:
    plan = plan_kinds(random.Random(1), 5000, 0.15, 0.12)
    counts = Counter(plan)
    assert len(plan) == 5000
    assert {kind.name for kind in KINDS} == set(counts)
    assert min(counts.values()) >= 2


def test_plan_respects_the_shares() -> None:
    plan = plan_kinds(random.Random(1), 5000, 0.15, 0.12)
    outcomes = Counter(KIND_BY_NAME[name].expected for name in plan)
    assert outcomes[REFUSED] == 750
    assert outcomes[NO_MATCH] == 600
    assert outcomes[DISCLOSED] == 3650


def test_plan_never_opens_with_a_duplicate_id() -> None:
    for seed in range(200):
        assert plan_kinds(random.Random(seed), 40, 0.5, 0.0)[0] != "duplicate_item_id"


@pytest.mark.parametrize(
    ("n_items", "adversarial", "nomatch"),
    [
        pytest.param(0, 0.15, 0.12, id="no-items"),
        pytest.param(10, -0.1, 0.12, id="negative-share"),
        pytest.param(10, 0.6, 0.4, id="shares-sum-to-one"),
    ],
)
def test_plan_rejects_impossible_sizes(n_items: int, adversarial: float, nomatch: float) -> None:
    with pytest.raises(SynthSizeInvalid):
        plan_kinds(random.Random(1), n_items, adversarial, nomatch)
