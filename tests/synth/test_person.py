"""Tests for portcullis.synth.person."""

from __future__ import annotations

import datetime as dt

import pytest

from portcullis.synth.person import Person, address_in


def _person(accented: bool, style: str = "both") -> Person:
    return Person(
        origin="hispanic",
        sex="F",
        first="María José",
        middle="Ángeles",
        paternal="Núñez",
        maternal="Peña",
        style=style,
        birth=dt.date(1990, 5, 6),
        relation="head",
        history=[(2019, 0)],
        accented=accented,
    )


@pytest.mark.parametrize(
    ("accented", "style", "filed"),
    [
        pytest.param(True, "both", ("María José", "Ángeles", "Núñez Peña"), id="accented"),
        pytest.param(False, "both", ("Maria Jose", "Angeles", "Nunez Pena"), id="plain"),
        pytest.param(True, "hyphen", ("María José", "Ángeles", "Núñez-Peña"), id="hyphen"),
    ],
)
def test_filed_name(accented: bool, style: str, filed: tuple[str, str, str]) -> None:
    assert _person(accented, style).filed_name() == filed


@pytest.mark.parametrize(
    ("accented", "style", "maternal"),
    [
        pytest.param(True, "both", "Peña", id="accented"),
        pytest.param(False, "hyphen", "Pena", id="plain"),
        pytest.param(True, "paternal", None, id="not-written"),
    ],
)
def test_maternal_as_filed(accented: bool, style: str, maternal: str | None) -> None:
    assert _person(accented, style).maternal_as_filed() == maternal


@pytest.mark.parametrize(
    ("year", "index"),
    [(2019, 7), (2020, 7), (2021, 8), (2024, 8), (2025, 9)],
)
def test_address_in_year(year: int, index: int) -> None:
    assert address_in([(2019, 7), (2021, 8), (2025, 9)], year) == index
