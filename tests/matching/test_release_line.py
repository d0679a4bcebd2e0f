"""The release line: a request's releases together meet the precision bound by estimate."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portcullis.matching import MatchResult
from portcullis.matching.release_line import DEMOTED_REASON, hold_to_bound


def result(key: str, verdict: str, score: float) -> MatchResult:
    return MatchResult(
        key=key,
        verdict=verdict,  # type: ignore[arg-type]
        tin="123456789" if verdict in ("match", "review") else None,
        score=score,
        match_weight=20.0,
        address=None,
        evidence={"reason": "unique taxpayer above the release threshold"},
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
