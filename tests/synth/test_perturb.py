"""Tests for portcullis.synth.perturb."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from rapidfuzz.distance import DamerauLevenshtein

from portcullis.synth.perturb import (
    add_typo,
    drop_maternal,
    shift_year,
    swap_day_month,
    transliterate,
    use_nickname,
)


@pytest.mark.parametrize("name", ["Guadalupe", "Nguyễn", "Smith", "Jean-Baptiste", "Li"])
def test_add_typo_makes_one_small_slip(name: str) -> None:
    rng = random.Random(2)
    for _ in range(50):
        slipped = add_typo(rng, name)
        assert slipped != name
        assert DamerauLevenshtein.distance(slipped, name) == 1


@pytest.mark.parametrize(
    ("first", "nicknames"),
    [
        pytest.param("Robert", {"Bob", "Rob", "Bobby"}, id="robert"),
        pytest.param("William", {"Bill", "Will", "Billy"}, id="william"),
        pytest.param("José", {"Pepe"}, id="jose-accented"),
        pytest.param("Jose", {"Pepe"}, id="jose-plain"),
        pytest.param("Jesús", {"Chuy"}, id="jesus"),
        pytest.param("Francisco", {"Paco", "Pancho"}, id="francisco"),
    ],
)
def test_use_nickname(first: str, nicknames: set[str]) -> None:
    rng = random.Random(0)
    assert {use_nickname(rng, first) for _ in range(40)} == nicknames


def test_use_nickname_keeps_second_given_name() -> None:
    assert use_nickname(random.Random(0), "José Luis") == "Pepe Luis"


def test_use_nickname_without_one() -> None:
    assert use_nickname(random.Random(0), "Zebulon") is None


def test_transliterate_muhammad() -> None:
    rng = random.Random(0)
    spellings = {transliterate(rng, "Muhammad") for _ in range(60)}
    assert spellings == {"Mohammed", "Mohamed", "Mohammad", "Muhammed"}


@pytest.mark.parametrize(
    ("last", "maternal", "paternal"),
    [
        pytest.param("García López", "López", "García", id="space"),
        pytest.param("García-López", "López", "García", id="hyphen"),
        pytest.param("García de la Cruz", "de la Cruz", "García", id="particle"),
        pytest.param("García", "López", "García", id="absent"),
    ],
)
def test_drop_maternal(last: str, maternal: str, paternal: str) -> None:
    assert drop_maternal(last, maternal) == paternal


@pytest.mark.parametrize(
    ("dob", "swapped"),
    [
        pytest.param(dt.date(1980, 3, 7), dt.date(1980, 7, 3), id="swappable"),
        pytest.param(dt.date(1980, 3, 13), None, id="day-over-12"),
        pytest.param(dt.date(1980, 4, 4), None, id="same-day-and-month"),
    ],
)
def test_swap_day_month(dob: dt.date, swapped: dt.date | None) -> None:
    assert swap_day_month(dob) == swapped


def test_shift_year_moves_one_year_and_survives_leap_day() -> None:
    rng = random.Random(4)
    for _ in range(20):
        shifted = shift_year(rng, dt.date(1988, 2, 29))
        assert abs(shifted.year - 1988) == 1
        assert (shifted.month, shifted.day) == (2, 28)
