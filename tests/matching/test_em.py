"""EM of m and the prior: responsibilities, contradictions kept, reviewers' labels."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from portcullis.matching import default_params
from portcullis.matching.em import CONTRADICTION_LEVELS, fit_em, responsibilities
from portcullis.matching.params import LEVELS

TAXPAYERS = 10_000


def pair(qid: int, **levels: str) -> dict[str, Any]:
    """Return one candidate pair: every field missing unless given, no term-frequency terms."""
    row: dict[str, Any] = dict.fromkeys(LEVELS, "missing")
    row.update(levels)
    return {"qid": qid, **row, "tf_given": 0.0, "tf_surname": 0.0}


def table(pairs: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(pairs)


STRONG = {"given": "exact", "surname": "exact", "dob": "exact", "address": "exact"}


def test_responsibilities_share_each_item_between_its_candidates_and_nobody() -> None:
    qid = np.array([0, 0, 1])
    weight = np.array([1.0, 0.0, 3.0])
    resp = responsibilities(qid, weight)
    # Item 0: 2 / (1 + 2 + 1) and 1 / 4; item 1: 8 / (1 + 8).
    assert resp == pytest.approx([0.5, 0.25, 8 / 9])


def test_the_share_on_file_follows_the_items_that_have_a_strong_candidate() -> None:
    strong = [pair(i, **STRONG) for i in range(60)]
    fit = fit_em(
        table(strong), items=100, taxpayers=TAXPAYERS, start=default_params(), version="v2",
        program="P",
    )  # fmt: skip
    # 60 of 100 items have an unmistakable candidate; shrinkage pulls a little towards the start.
    start_share = 2**-20 * TAXPAYERS / (1 + 2**-20 * TAXPAYERS)
    expected = (60 + 50 * start_share) / (100 + 50)
    assert fit.on_file_share == pytest.approx(expected, rel=1e-3)
    assert math.isclose(fit.params.prior_weight, math.log2(expected / ((1 - expected) * TAXPAYERS)))


def test_contradiction_levels_keep_their_hand_set_rates() -> None:
    pairs = [pair(i, **{**STRONG, "dob": "disagree"}) for i in range(80)]
    fit = fit_em(
        table(pairs), items=80, taxpayers=TAXPAYERS, start=default_params(), version="v2",
        program="P",
    )  # fmt: skip
    for name, levels in CONTRADICTION_LEVELS.items():
        for level in levels:
            assert fit.params.m[name][level] == default_params().m[name][level]


def test_a_reviewers_confirmation_teaches_m_what_the_person_looks_like() -> None:
    unlabelled = [pair(i, **STRONG) for i in range(100)]
    # Twenty items a reviewer confirmed: the person's given name was misspelt beyond a typo.
    confirmed = [pair(100 + i, **{**STRONG, "given": "fuzzy"}) for i in range(20)]
    start = default_params()
    plain = fit_em(
        table(unlabelled), items=100, taxpayers=TAXPAYERS, start=start, version="v2",
        program="P",
    )  # fmt: skip
    fixed = np.r_[np.full(100, np.nan), np.ones(20)]
    taught = fit_em(
        table(unlabelled + confirmed), items=100, taxpayers=TAXPAYERS, start=start,
        version="v2", program="P", fixed=fixed, labelled=20,
    )  # fmt: skip
    assert taught.params.m["given"]["fuzzy"] > 2 * plain.params.m["given"]["fuzzy"]
    assert taught.labelled == 20 and "20 items settled in review" in taught.params.notes


def test_labelled_items_do_not_count_towards_the_share_on_file() -> None:
    unlabelled = [pair(i, **STRONG) for i in range(50)]
    confirmed = [pair(50 + i, **STRONG) for i in range(30)]
    start = default_params()
    plain = fit_em(
        table(unlabelled), items=80, taxpayers=TAXPAYERS, start=start, version="v2",
        program="P",
    )  # fmt: skip
    with_labels = fit_em(
        table(unlabelled + confirmed), items=80, taxpayers=TAXPAYERS, start=start,
        version="v2", program="P", fixed=np.r_[np.full(50, np.nan), np.ones(30)], labelled=30,
    )  # fmt: skip
    # Counted, the thirty would raise the share from about 50/80 towards 80/80.
    assert with_labels.on_file_share == pytest.approx(plain.on_file_share, rel=1e-4)


def test_a_confirmed_taxpayer_the_blocking_missed_teaches_nothing() -> None:
    unlabelled = [pair(i, **STRONG) for i in range(50)]
    # The reviewer confirmed a taxpayer none of these candidates is: every pair is fixed at 0.
    confirmed = [pair(50 + i, given="fuzzy") for i in range(30)]
    start = default_params()
    plain = fit_em(
        table(unlabelled), items=80, taxpayers=TAXPAYERS, start=start, version="v2",
        program="P",
    )  # fmt: skip
    with_labels = fit_em(
        table(unlabelled + confirmed), items=80, taxpayers=TAXPAYERS, start=start,
        version="v2", program="P", fixed=np.r_[np.full(50, np.nan), np.zeros(30)], labelled=30,
    )  # fmt: skip
    assert with_labels.params.m == plain.params.m
