"""Tests for portcullis.synth.names."""

from __future__ import annotations

import random

import pytest

from portcullis.synth.names import (
    compose_last,
    draw_first,
    has_accents,
    strip_accents,
    two_spellings,
)
from portcullis.synth.pools import ORIGINS


@pytest.mark.parametrize(
    ("maternal", "style", "expected"),
    [
        pytest.param("López", "both", "García López", id="both"),
        pytest.param("López", "paternal", "García", id="paternal-only"),
        pytest.param("López", "hyphen", "García-López", id="hyphenated"),
        pytest.param(None, "both", "García", id="no-maternal"),
    ],
)
def test_compose_last(maternal: str | None, style: str, expected: str) -> None:
    assert compose_last("García", maternal, style) == expected


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        pytest.param("García", "Garcia", id="spanish"),
        pytest.param("Nguyễn", "Nguyen", id="vietnamese"),
        pytest.param("Đức", "Duc", id="vietnamese-d-bar"),
        pytest.param("Désir", "Desir", id="haitian"),
        pytest.param("Smith", "Smith", id="ascii-unchanged"),
    ],
)
def test_strip_accents(text: str, plain: str) -> None:
    assert strip_accents(text) == plain
    assert has_accents(text) is (text != plain)


def test_hispanic_first_names_are_sometimes_compound() -> None:
    rng = random.Random(3)
    firsts = [draw_first(rng, "hispanic", "F")[0] for _ in range(2000)]
    assert any(" " in first for first in firsts)
    assert any(" " not in first for first in firsts)


@pytest.mark.parametrize("origin", ORIGINS)
def test_every_origin_draws_names(origin: str) -> None:
    rng = random.Random(5)
    names = {draw_first(rng, origin, sex)[0] for sex in "FM" for _ in range(200)}
    assert len(names) > 20


def test_two_spellings_of_one_name_are_told_from_two_names() -> None:
    assert two_spellings("Layla", "Leila") and two_spellings("Noor Fatima", "Nour")
    assert not two_spellings("Layla", "Layla")
    assert not two_spellings("Layla", "Amira") and not two_spellings("Maria", "Mario")
