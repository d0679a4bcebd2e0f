"""Tests for portcullis.synth.households."""

from __future__ import annotations

import itertools
import random

import pytest

from portcullis.synth import households as households_module
from portcullis.synth.addresses import AddressBook
from portcullis.synth.households import HouseholdMaker
from portcullis.synth.names import two_spellings
from portcullis.synth.person import FIRST_TAX_YEAR, LAST_TAX_YEAR, Person
from portcullis.synth.pools import ORIGINS


@pytest.fixture(scope="module")
def households() -> list[list[Person]]:
    maker = HouseholdMaker(random.Random(21), AddressBook())
    return [maker.build() for _ in range(3000)]


def test_every_household_has_one_head_first(households: list[list[Person]]) -> None:
    for members in households:
        assert members[0].relation == "head"
        assert [m.relation for m in members].count("head") == 1
        assert len({m.origin for m in members}) == 1


def test_children_are_younger_than_parents(households: list[list[Person]]) -> None:
    for members in households:
        head = members[0]
        for child in (m for m in members if m.relation == "child"):
            assert child.birth.year >= head.birth.year + 18
        for parent in (m for m in members if m.relation == "parent"):
            assert parent.birth.year <= head.birth.year - 20


def test_twins_point_at_each_other(households: list[list[Person]]) -> None:
    pairs = 0
    for members in households:
        for person in members:
            if person.twin_of is not None:
                twin = members[person.twin_of]
                assert twin.twin_of is not None and members[twin.twin_of] is person
                assert twin.birth == person.birth and twin.history is person.history
                pairs += 1
    assert pairs > 0


def test_hispanic_children_carry_both_parents_surnames(households: list[list[Person]]) -> None:
    checked = 0
    for members in households:
        head = members[0]
        spouse = next((m for m in members if m.relation == "spouse"), None)
        if head.origin != "hispanic" or head.sex != "M" or spouse is None or spouse.sex != "F":
            continue
        for child in (m for m in members if m.relation == "child"):
            assert (child.paternal, child.maternal) == (head.paternal, spouse.paternal)
            checked += 1
    assert checked > 0


def test_address_histories_start_in_the_first_tax_year(households: list[list[Person]]) -> None:
    for members in households:
        for person in members:
            years = [year for year, _ in person.history]
            assert years[0] == FIRST_TAX_YEAR and years == sorted(set(years))
            assert years[-1] <= LAST_TAX_YEAR


def test_all_origins_and_a_junior_appear(households: list[list[Person]]) -> None:
    assert {members[0].origin for members in households} == set(ORIGINS)
    assert any(m.suffix in ("JR", "II") for members in households for m in members)


def test_siblings_never_carry_two_spellings_of_one_name(households: list[list[Person]]) -> None:
    for members in households:
        children = [m for m in members if m.relation == "child"]
        for i, one in enumerate(children):
            assert not any(two_spellings(one.first, other.first) for other in children[i + 1 :])


def test_a_sibling_spelt_another_way_is_renamed(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every child is first drawn as Layla or Leila, one name in two spellings; redraws give Amira.
    spellings = itertools.cycle(["Layla", "Leila"])
    monkeypatch.setattr(households_module, "draw_first", lambda *_: (next(spellings), None))
    monkeypatch.setattr(households_module, "draw_given", lambda *_: "Amira")
    maker = HouseholdMaker(random.Random(5), AddressBook())
    families = [maker.build() for _ in range(400)]
    firsts = [{m.first for m in f if m.relation == "child"} for f in families]
    assert any(len(names) > 1 for names in firsts)
    for names in firsts:
        assert not {"Layla", "Leila"} <= names
    for members in families:
        for person in members:
            if person.twin_of is not None:
                assert person.first != members[person.twin_of].first


def test_cousins_in_other_households_share_a_name_spelt_apart(
    households: list[list[Person]],
) -> None:
    pairs = 0
    children = [
        (n, m) for n, members in enumerate(households) for m in members if m.relation == "child"
    ]
    for i, (home, one) in enumerate(children):
        for other_home, other in children[i + 1 :]:
            if other_home != home and (one.paternal, one.maternal) == (
                other.paternal,
                other.maternal,
            ):
                pairs += two_spellings(one.first, other.first)
    assert pairs > 0
