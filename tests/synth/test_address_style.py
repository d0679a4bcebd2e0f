"""Tests for portcullis.synth.address_style."""

from __future__ import annotations

import random

from portcullis.synth.address_style import ADDRESS_NOTES, misspell_street, restyle_address
from portcullis.synth.addresses import Address

HOME = Address("4120 Maple St", "Apt 4", "Houston", "TX", "77002")


def test_restyle_notes_what_it_changed() -> None:
    rng = random.Random(9)
    seen: set[str] = set()
    for _ in range(400):
        styled, notes = restyle_address(rng, HOME)
        seen.update(notes)
        assert set(notes) <= ADDRESS_NOTES
        if not notes:
            assert styled == HOME
        if "street_type_spelled_out" in notes and "address_typo" not in notes:
            assert styled.street.upper().startswith("4120 MAPLE STREET")
        if "unit_restyled" in notes:
            assert styled.unit != HOME.unit
        if "zip_plus4" in notes:
            assert styled.zip.startswith("77002-")
        assert styled.state == "TX"
    assert seen >= {"street_type_spelled_out", "unit_restyled", "zip_plus4", "address_typo"}


def test_restyle_may_drop_a_zip_plus_four() -> None:
    rng = random.Random(2)
    plus4 = Address("4120 Maple St", None, "Houston", "TX", "77002-1234")
    zips = {restyle_address(rng, plus4)[0].zip for _ in range(100)}
    assert zips == {"77002", "77002-1234"}


def test_restyle_without_slips_never_misspells() -> None:
    rng = random.Random(9)
    for _ in range(300):
        _, notes = restyle_address(rng, HOME, slips=False)
        assert "address_typo" not in notes


def test_misspell_street_keeps_house_number_and_type() -> None:
    rng = random.Random(1)
    for _ in range(50):
        street = misspell_street(rng, HOME.street)
        assert street.startswith("4120 ") and street.endswith(" St")
        assert street != HOME.street
