"""Tests for portcullis.synth.candidates."""

from __future__ import annotations

from typing import Any

import pytest

from portcullis.synth import Population, generate_population
from portcullis.synth.candidates import Candidates, find_candidates
from portcullis.synth.kinds import KINDS
from portcullis.synth.names import strip_accents, two_spellings

Row = dict[str, Any]


@pytest.fixture(scope="module")
def candidates(population: Population) -> Candidates:
    return find_candidates(population)


@pytest.fixture(scope="module")
def people(population: Population) -> list[Row]:
    rows: list[Row] = population.people.to_pylist()
    return rows


def _plain(text: str) -> str:
    return strip_accents(text).lower().replace("-", " ").split()[0]


# Near-named cousins are rare: a population of a few thousand has none (the kind falls back).
_RARE_POOLS = ("cousin",)


def test_every_pool_a_kind_uses_exists_and_is_sorted(candidates: Candidates) -> None:
    for kind in KINDS:
        pool = candidates.pools[kind.pool]
        assert pool or kind.pool in _RARE_POOLS, kind.pool
        assert pool == sorted(set(pool))


def test_cousins_are_two_spellings_of_one_name_in_other_households() -> None:
    population = generate_population(10_000, seed=11)
    people: list[Row] = population.people.to_pylist()
    found = find_candidates(population)
    assert found.partner["cousin"]
    for index, partner in found.partner["cousin"].items():
        one, other = people[index], people[partner]
        assert one["household_id"] != other["household_id"]
        assert two_spellings(one["first_name"], other["first_name"])
        assert strip_accents(one["last_name"]).lower() == strip_accents(other["last_name"]).lower()


def test_filer_pools_hold_adult_filers(candidates: Candidates, people: list[Row]) -> None:
    for name in ("filer", "maternal", "accented", "nickname", "mover", "twin", "namesake"):
        for index in candidates.pools[name]:
            assert people[index]["is_filer"] and people[index]["date_of_birth"] <= "2007-12-31"


def test_nonfiler_relatives_share_address_and_family_name(
    candidates: Candidates, people: list[Row]
) -> None:
    for index, partner in candidates.partner["nonfiler_relative"].items():
        person, filer = people[index], people[partner]
        assert not person["is_filer"] and filer["is_filer"]
        assert (person["street"], person["zip"]) == (filer["street"], filer["zip"])
        assert _plain(person["last_name"]) == _plain(filer["last_name"])


def test_jr_sr_partners_share_name_and_household(candidates: Candidates, people: list[Row]) -> None:
    assert candidates.partner["jr_sr"]
    for index, partner in candidates.partner["jr_sr"].items():
        one, other = people[index], people[partner]
        assert one["household_id"] == other["household_id"]
        assert strip_accents(one["first_name"]) == strip_accents(other["first_name"])
        assert one["date_of_birth"] != other["date_of_birth"]


def test_namesakes_live_in_other_households(candidates: Candidates, people: list[Row]) -> None:
    for index, partner in candidates.partner["namesake"].items():
        one, other = people[index], people[partner]
        assert one["household_id"] != other["household_id"]
        key = [strip_accents(p["first_name"] + " " + p["last_name"]).lower() for p in (one, other)]
        assert key[0] == key[1]


def test_not_in_master_people_have_no_filer_at_home(
    candidates: Candidates, people: list[Row]
) -> None:
    filer_homes = {row["household_id"] for row in people if row["is_filer"]}
    for index in candidates.pools["not_in_master"]:
        assert people[index]["household_id"] not in filer_homes
