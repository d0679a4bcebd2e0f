"""Weighted pools of names, places and variants loaded from the package's data files."""

from __future__ import annotations

import bisect
import itertools
import json
import random
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

ORIGINS: tuple[str, ...] = (
    "hispanic",
    "anglo",
    "vietnamese",
    "chinese",
    "arabic",
    "indian",
    "haitian",
)
# Rough shares of the population the requests are drawn from; only the order of magnitude matters.
ORIGIN_SHARES: tuple[float, ...] = (0.36, 0.28, 0.06, 0.07, 0.06, 0.08, 0.09)


@dataclass(frozen=True, slots=True)
class WeightedPool:
    """Items with cumulative weights, drawn by one uniform number each."""

    items: tuple[str, ...]
    cumulative: tuple[float, ...]

    def draw(self, rng: random.Random) -> str:
        """Return one item with probability proportional to its weight."""
        point = rng.random() * self.cumulative[-1]
        return self.items[bisect.bisect_right(self.cumulative, point)]


def draw_range(rng: random.Random, low: int, high: int) -> int:
    """Return an integer in [low, high) from one uniform number (cheaper than randrange)."""
    return low + int(rng.random() * (high - low))


def make_zipf_pool(items: list[str], exponent: float = 1.0, offset: float = 5.0) -> WeightedPool:
    """Build a pool whose i-th item has Zipf-Mandelbrot weight 1/(i + offset)^exponent."""
    # The offset flattens the head so the most common name is common but not absurdly so.
    weights = [1.0 / (rank + offset) ** exponent for rank in range(1, len(items) + 1)]
    return WeightedPool(tuple(items), tuple(itertools.accumulate(weights)))


def make_weighted_pool(items: tuple[str, ...], weights: tuple[float, ...]) -> WeightedPool:
    """Build a pool from explicit weights."""
    return WeightedPool(items, tuple(itertools.accumulate(weights)))


def _load(name: str) -> Any:
    text = (
        resources.files("portcullis.synth")
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )
    return json.loads(text)


@dataclass(frozen=True, slots=True)
class OriginNames:
    """The given names, middle names and surnames of one origin."""

    male: WeightedPool
    female: WeightedPool
    middle_male: WeightedPool | None
    middle_female: WeightedPool | None
    surnames: WeightedPool


def _optional_pool(items: list[str]) -> WeightedPool | None:
    return make_zipf_pool(items, exponent=0.8) if items else None


@cache
def load_names() -> dict[str, OriginNames]:
    """Return the name pools of every origin, keyed by origin."""
    raw = _load("names.json")
    # Vietnamese family names really are this concentrated (Nguyen is about 38 percent).
    surname_exponent = {"vietnamese": 1.6, "chinese": 1.1}
    return {
        origin: OriginNames(
            male=make_zipf_pool(raw[origin]["male"]),
            female=make_zipf_pool(raw[origin]["female"]),
            middle_male=_optional_pool(raw[origin]["middle_male"]),
            middle_female=_optional_pool(raw[origin]["middle_female"]),
            surnames=make_zipf_pool(
                raw[origin]["surnames"], exponent=surname_exponent.get(origin, 0.9)
            ),
        )
        for origin in ORIGINS
    }


@cache
def load_variants() -> dict[str, dict[str, tuple[str, ...]]]:
    """Return the nickname and transliteration tables, each mapping a name to its variants."""
    raw = _load("variants.json")
    return {table: {k: tuple(v) for k, v in raw[table].items()} for table in raw}


@cache
def load_places() -> dict[str, Any]:
    """Return cities, street names, street types and unit types."""
    data: dict[str, Any] = _load("places.json")
    return data
