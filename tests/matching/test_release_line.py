"""The release line: a request's releases together meet the precision bound by estimate."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portcullis.matching import MatchResult, ReleaseAddress, default_params
from portcullis.matching.decide import decide, posterior
from portcullis.matching.release_line import (
    BELOW_FLOOR_REASON,
    DEMOTED_REASON,
    REVIEW_FLOOR,
    hold_to_bound,
)

from .candidates import candidate

ADDRESS = ReleaseAddress("77 Oak Rd", None, "San Antonio", "TX", "78209", 2024)


def result(
    key: str,
    verdict: str,
    score: float,
    reason: str = "unique taxpayer above the release threshold",
) -> MatchResult:
    return MatchResult(
        key=key,
        verdict=verdict,  # type: ignore[arg-type]
        tin="123456789" if verdict in ("match", "review") else None,
        score=score,
        match_weight=20.0,
        address=ADDRESS if verdict in ("match", "review") else None,
        evidence={"reason": reason},
        model_version="v1",
    )


def test_all_certain_matches_are_kept_and_the_estimate_is_their_summed_error() -> None:
    results = [result("a", "match", 1 - 1e-6), result("b", "match", 1 - 3e-6)]
    out, estimate = hold_to_bound(results, 0.9999)
    assert [r.verdict for r in out] == ["match", "match"]
    assert estimate.released == 2 and estimate.demoted == 0
    assert estimate.expected_wrong == pytest.approx(4e-6)
    assert estimate.expected_precision == pytest.approx(1 - 2e-6)


def test_the_least_certain_matches_go_to_review_when_the_bound_would_be_broken() -> None:
    # With the weaker one the four would carry 4.5e-4 expected wrong releases: over 1e-4 each.
    results = [
        result("weak", "match", 1 - 1.5e-4),
        result("other", "no_match", 0.0),
        result("sure", "match", 1 - 1e-7),
        result("weaker", "match", 1 - 3e-4),
        result("sure too", "match", 1 - 1e-7),
    ]
    out, estimate = hold_to_bound(results, 0.9999)
    assert [r.verdict for r in out] == ["match", "no_match", "match", "review", "match"]
    assert out[3].evidence["reason"] == DEMOTED_REASON and out[3].tin == "123456789"
    assert estimate.released == 3 and estimate.demoted == 1
    assert estimate.expected_wrong <= (1 - 0.9999) * estimate.released


def test_a_lone_match_below_the_bound_is_not_released() -> None:
    out, estimate = hold_to_bound([result("only", "match", 0.9998)], 0.9999)
    assert out[0].verdict == "review" and estimate.released == 0
    assert estimate.expected_precision == 1.0


@given(st.lists(st.floats(min_value=0.99, max_value=1.0), max_size=60))
def test_the_kept_releases_always_meet_the_bound_and_are_the_most_certain(
    scores: list[float],
) -> None:
    results = [result(str(i), "match", s) for i, s in enumerate(scores)]
    out, estimate = hold_to_bound(results, 0.9999)
    kept = [r.score for r in out if r.verdict == "match"]
    demoted = [r.score for r in out if r.verdict == "review"]
    assert len(kept) == estimate.released and len(demoted) == estimate.demoted
    assert sum(1 - s for s in kept) <= 1e-4 * len(kept) + 1e-12
    assert not kept or not demoted or min(kept) >= max(demoted)


def test_a_scored_item_held_below_the_floor_ends_no_match_and_keeps_why_it_was_held() -> None:
    # A fuzzy given name barely above the review threshold, and a rival whose given name differs
    # (so the item is not ambiguous) but who scores higher: the best is more likely not the person.
    candidates = [candidate(0.2, given="fuzzy"), candidate(1.5, given="disagree")]
    decision = decide(candidates, default_params())
    assert decision.verdict == "review"
    held = result("low", "review", posterior(candidates), decision.reason)
    assert held.score < REVIEW_FLOOR
    out, estimate = hold_to_bound([held], 0.9999)
    [closed] = out
    assert closed.verdict == "no_match" and closed.tin is None and closed.address is None
    assert closed.evidence["reason"] == BELOW_FLOOR_REASON
    assert closed.evidence["held_for"] == "given name only fuzzy"
    assert estimate.closed == 1 and estimate.closed_expected_matches == pytest.approx(held.score)
    assert estimate.as_json()["closed_below_floor"] == 1


def test_an_item_held_above_the_floor_stays_in_review() -> None:
    candidates = [candidate(1.0, given="fuzzy")]
    held = result("fair", "review", posterior(candidates), "given name only fuzzy")
    assert held.score > REVIEW_FLOOR
    out, estimate = hold_to_bound([held], 0.9999)
    assert out == [held] and estimate.closed == 0


def test_a_floor_of_zero_holds_every_item_as_before() -> None:
    results = [result("a", "review", 0.01), result("b", "review", 0.3)]
    out, estimate = hold_to_bound(results, 0.9999, floor=0.0)
    assert out == results and estimate.closed == 0 and estimate.review_floor == 0.0


@given(
    st.lists(
        st.tuples(st.sampled_from(("match", "review", "no_match", "ambiguous")), st.floats(0, 1)),
        max_size=60,
    ),
    st.floats(0, 1),
)
def test_the_floor_only_turns_held_items_to_no_match_and_never_releases(
    items: list[tuple[str, float]], floor: float
) -> None:
    results = [result(str(i), verdict, score) for i, (verdict, score) in enumerate(items)]
    without, _ = hold_to_bound(results, 0.9999, floor=0.0)
    out, estimate = hold_to_bound(results, 0.9999, floor=floor)
    assert [r.verdict == "match" for r in out] == [r.verdict == "match" for r in without]
    changed = [(r, b) for r, a, b in zip(results, without, out, strict=True) if a != b]
    # Only what the decision held is closed: a match the release line demoted stays in review.
    assert all(r.verdict == "review" and b.verdict == "no_match" for r, b in changed)
    assert all(r.score < floor for r, _ in changed) and len(changed) == estimate.closed
