"""Tests for portcullis.synth.pools."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from portcullis.synth.pools import (
    ORIGIN_SHARES,
    ORIGINS,
    draw_range,
    load_names,
    load_places,
    load_variants,
    make_zipf_pool,
)


def test_zipf_pool_favours_the_head() -> None:
    pool = make_zipf_pool([f"n{i}" for i in range(100)])
    rng = random.Random(1)
    counts = Counter(pool.draw(rng) for _ in range(20000))
    assert counts["n0"] > counts["n10"] > counts["n90"]
    assert set(counts) <= set(pool.items)


@pytest.mark.parametrize(("low", "high"), [(0, 1), (5, 9), (100, 10000)])
def test_draw_range_stays_in_range(low: int, high: int) -> None:
    rng = random.Random(2)
    values = {draw_range(rng, low, high) for _ in range(2000)}
    assert min(values) >= low and max(values) < high


@pytest.mark.parametrize("origin", ORIGINS)
def test_every_origin_has_name_pools(origin: str) -> None:
    names = load_names()[origin]
    assert len(names.male.items) >= 40 and len(names.female.items) >= 40
    assert len(names.surnames.items) >= 40


def test_origin_shares_sum_to_one() -> None:
    assert abs(sum(ORIGIN_SHARES) - 1) < 1e-9
    assert len(ORIGIN_SHARES) == len(ORIGINS)


def test_variants_and_places_load() -> None:
    variants = load_variants()
    assert "Bob" in variants["nicknames"]["Robert"]
    assert "Mohammed" in variants["transliterations"]["Muhammad"]
    places = load_places()
    assert all(len(city[1]) == 2 and len(city[2]) == 3 for city in places["cities"])
    assert places["street_types"]["St"] == "Street"
