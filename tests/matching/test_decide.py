"""Decision rules on hand-made candidate summaries, one rule per case."""

from __future__ import annotations

from typing import Any

import pytest

from portcullis.matching import default_params
from portcullis.matching.decide import decide

from .candidates import candidate

PARAMS = default_params()


@pytest.mark.parametrize(
    ("candidates", "verdict"),
    [
        pytest.param([], "no_match", id="no-candidates"),
        pytest.param([candidate(-3.0)], "no_match", id="weak"),
        pytest.param([candidate(30.0)], "match", id="clear-unique"),
        pytest.param([candidate(30.0), candidate(25.0)], "ambiguous", id="close-runner-up"),
        pytest.param([candidate(30.0), candidate(-1.0)], "match", id="implausible-runner-up"),
        pytest.param([candidate(30.0), candidate(5.0)], "match", id="far-runner-up"),
        pytest.param([candidate(6.0)], "review", id="between-thresholds"),
        pytest.param([candidate(30.0, given="fuzzy")], "review", id="given-only-fuzzy"),
        pytest.param([candidate(30.0, given="initial")], "review", id="given-initial"),
        pytest.param([candidate(30.0, given="disagree")], "no_match", id="given-disagrees"),
        pytest.param(
            [candidate(30.0, given="nickname", address="zip")], "match", id="given-nickname"
        ),
        pytest.param(
            [candidate(30.0, given="nickname", address="exact", middle="exact")],
            "match",
            id="nickname-at-household-middle-agrees",
        ),
        pytest.param(
            [candidate(30.0, given="nickname", address="street", tin="agree")],
            "match",
            id="nickname-at-household-tin-agrees",
        ),
        pytest.param(
            [candidate(30.0, given="variant", address="exact")],
            "match",
            id="variant-at-household",
        ),
        pytest.param([candidate(30.0, dob="disagree")], "review", id="dob-contradicts"),
        pytest.param([candidate(30.0, suffix="disagree")], "review", id="jr-against-sr"),
        pytest.param([candidate(30.0, middle="disagree")], "review", id="middle-contradicts"),
        pytest.param([candidate(30.0, tin="disagree")], "review", id="requester-tin-differs"),
        pytest.param([candidate(30.0, scope_year=None)], "no_match", id="no-address-in-scope"),
        pytest.param([candidate(30.0, dob="missing")], "review", id="no-dob-no-tin"),
        pytest.param(
            [candidate(30.0, dob="missing", tin="agree")], "match", id="no-dob-but-tin-agrees"
        ),
        pytest.param([candidate(30.0, dob="near")], "match", id="dob-near"),
        pytest.param([candidate(30.0, given="swapped")], "match", id="swapped-same-address"),
        pytest.param(
            [candidate(30.0, given="swapped", address="disagree")], "review", id="swapped-elsewhere"
        ),
        pytest.param(
            [candidate(30.0, tin="agree", weight_without_tin=8.0)],
            "review",
            id="tin-alone-cannot-match",
        ),
    ],
)
def test_verdict(candidates: list[dict[str, Any]], verdict: str) -> None:
    assert decide(candidates, PARAMS).verdict == verdict


def test_match_names_the_best_candidate() -> None:
    best = candidate(30.0, cand_tin="111111111")
    decision = decide([best, candidate(1.0, cand_tin="222222222")], PARAMS)
    assert decision.chosen is best


def test_ambiguous_names_nobody() -> None:
    assert decide([candidate(30.0), candidate(29.0)], PARAMS).chosen is None


def test_nonfiling_twin_by_nickname_is_not_released() -> None:
    """Regression, 50k seed 777: a non-filing twin asked as "Mary" was released as filing "Maria".

    Same surname, same birth date, same household address, given names nickname forms of each
    other: the twin's profile exactly, whatever the score. Only the TIN or middle name tells them
    apart, so without either the item goes to a reviewer, never to release.
    """
    twin = candidate(29.8, given="nickname", surname="exact", dob="exact", address="exact")
    decision = decide([twin], PARAMS)
    assert decision.verdict == "review"
    assert "twin" in decision.reason


def test_candidates_identical_on_every_given_field_are_ambiguous_not_review() -> None:
    """Father and son of one name at one address, asked without birth date or suffix: no
    reviewer could tell them apart from the request, so nothing is released or queued."""
    father = candidate(24.0, cand_tin="111111111", dob="missing")
    son = candidate(24.0, cand_tin="222222222", dob="missing")
    decision = decide([father, son], PARAMS)
    assert (decision.verdict, decision.chosen) == ("ambiguous", None)
