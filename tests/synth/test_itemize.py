"""Tests for portcullis.synth.itemize."""

from __future__ import annotations

import random

import pytest

from portcullis.synth.itemize import expected_outcome, write_kind

from .subject_fixture import make_draft


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        pytest.param("clean", "disclosed", id="clean"),
        pytest.param("nickname", "disclosed", id="nickname"),
        pytest.param("nonfiler_relative", "no_match", id="relative"),
        pytest.param("zip_only_address", "refused", id="zip-only"),
        pytest.param("tax_statute", "refused", id="tax"),
    ],
)
def test_outcome_follows_the_kind(kind: str, expected: str) -> None:
    draft = make_draft()
    written = write_kind(random.Random(3), kind, draft, jr_sr_partner=False)
    assert written == kind
    assert expected_outcome(written, draft) == expected


def test_a_mistake_that_cannot_apply_turns_the_item_clean() -> None:
    draft = make_draft()
    draft.item["date_of_birth"] = None
    assert write_kind(random.Random(3), "dob_day_month_swap", draft, False) == "clean"


def test_no_dob_nor_tin_for_a_jr_or_sr_is_ambiguous() -> None:
    outcomes = set()
    for seed in range(60):
        draft = make_draft(seed)
        kind = write_kind(random.Random(seed), "jr_sr", draft, jr_sr_partner=True)
        outcome = expected_outcome(kind, draft)
        bare = draft.item["date_of_birth"] is None and draft.item["tin"] is None
        assert (outcome == "ambiguous") == bare
        outcomes.add(outcome)
    assert outcomes == {"disclosed", "ambiguous"}


def test_a_tin_tells_a_jr_from_a_sr() -> None:
    draft = make_draft()
    draft.item["date_of_birth"] = None
    draft.item["tin"] = "123456789"
    kind = write_kind(random.Random(1), "dob_year_off", draft, jr_sr_partner=True)
    assert expected_outcome(kind, draft) == "disclosed"


def test_relative_tin_is_planted_on_some_nonfiler_items() -> None:
    planted = 0
    for seed in range(80):
        draft = make_draft(seed)
        write_kind(random.Random(seed), "nonfiler_relative", draft, False, "999701234")
        if "relative_tin" in draft.defects:
            assert draft.item["tin"] == "999701234"
            planted += 1
    assert 0 < planted < 80
