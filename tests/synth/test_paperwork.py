"""Tests for portcullis.synth.paperwork."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from portcullis.synth.paperwork import (
    REMOVAL_STATUTE,
    OfficerRoster,
    draw_periods,
    format_periods,
    make_case_number,
    write_reason,
)


@pytest.mark.parametrize(
    ("years", "text"),
    [
        pytest.param([2022, 2023, 2024], "2022-2024", id="range"),
        pytest.param([2024, 2023], "2023-2024", id="unsorted-range"),
        pytest.param([2021, 2023], "2021,2023", id="gap"),
        pytest.param([2025], "2025", id="single"),
    ],
)
def test_format_periods(years: list[int], text: str) -> None:
    assert format_periods(years) == text


def _years(text: str) -> set[int]:
    if "-" in text:
        low, high = text.split("-")
        return set(range(int(low), int(high) + 1))
    return {int(y) for y in text.split(",")}


def test_draw_periods_covers_filed_years_only() -> None:
    rng = random.Random(3)
    filed = [2019, 2020, 2021, 2023, 2024]
    for _ in range(200):
        periods = _years(draw_periods(rng, filed))
        assert 2024 in periods
        assert periods <= set(filed) | {2022}


def test_draw_periods_reaches_back_to_a_required_year() -> None:
    rng = random.Random(3)
    for _ in range(50):
        assert 2020 in _years(draw_periods(rng, [2019, 2020, 2021, 2022, 2023], must_cover=2020))


def test_draw_periods_never_names_more_than_five_years() -> None:
    rng = random.Random(3)
    filed = list(range(2019, 2026))
    for _ in range(50):
        periods = _years(draw_periods(rng, filed, must_cover=2019))
        assert {2019, 2025} <= periods and len(periods) <= 5


def test_case_numbers_follow_the_serial() -> None:
    assert make_case_number(REMOVAL_STATUTE, 123) == "ICE-ERO-2026-000123"
    assert make_case_number("8 U.S.C. 1326(a)", 123) == "ICE-HSI-2026-000123"


def test_reason_names_the_case_and_statute() -> None:
    rng = random.Random(1)
    for _ in range(20):
        reason = write_reason(rng, REMOVAL_STATUTE, "ICE-ERO-2026-000001", "2020-01-02", "Miami")
        assert "ICE-ERO-2026-000001" in reason
        assert REMOVAL_STATUTE in reason or "removal" in reason


@pytest.mark.parametrize("n_items", [pytest.param(10, id="tiny"), pytest.param(5000, id="5k")])
def test_roster_keeps_officer_load_under_the_cap(n_items: int) -> None:
    roster = OfficerRoster(random.Random(8), n_items)
    load: Counter[str] = Counter()
    for _ in range(n_items):
        officers = roster.assign().split(";")
        assert 1 <= len(officers) <= 2
        assert len(set(officers)) == len(officers)
        load.update(officers)
    assert max(load.values()) <= max(5, n_items * 40 // 5000)
