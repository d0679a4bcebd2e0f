"""Tests for portcullis.synth.population: the master file and the people behind it."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pyarrow as pa
import pytest

from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.synth import Population, generate_population
from portcullis.synth.errors import SynthSizeInvalid
from portcullis.synth.model import PEOPLE_COLUMNS
from portcullis.synth.names import strip_accents
from portcullis.synth.tins import is_valid_itin, is_valid_ssn

from .conftest import POPULATION_SIZE

Rows = dict[str, list[dict[str, object]]]
People = dict[str, dict[str, object]]


def test_master_has_exactly_the_contract_columns(population: Population) -> None:
    schema = population.master.schema
    assert tuple(schema.names) == MASTER_COLUMNS
    for name in MASTER_COLUMNS:
        expected = pa.int32() if name == "tax_year" else pa.string()
        assert schema.field(name).type == expected, name


def test_people_columns(population: Population) -> None:
    assert tuple(population.people.schema.names) == PEOPLE_COLUMNS


def test_taxpayer_count_is_exact(population: Population, master_by_tin: Rows) -> None:
    assert population.taxpayer_count == POPULATION_SIZE
    assert len(master_by_tin) == POPULATION_SIZE


def test_master_rows_belong_to_filers_with_the_same_identity(
    population: Population, master_by_tin: Rows
) -> None:
    filers = {row["tin"]: row for row in population.people.to_pylist() if row["is_filer"]}
    assert set(filers) == set(master_by_tin)
    for tin, rows in master_by_tin.items():
        person = filers[tin]
        for row in rows:
            for field in ("first_name", "middle_name", "name_suffix", "date_of_birth"):
                assert row[field] == person[field]
            assert row["last_name"] in (person["last_name"], person["former_last_name"])
        assert rows[-1]["last_name"] == person["last_name"]


def test_some_wives_filed_under_a_maiden_name_first(
    population: Population, master_by_tin: Rows
) -> None:
    renamed = [row for row in population.people.to_pylist() if row["former_last_name"]]
    assert renamed
    for person in renamed:
        assert person["relation"] == "spouse" and person["sex"] == "F"
        names = [row["last_name"] for row in master_by_tin[person["tin"]]]
        assert names[0] == person["former_last_name"] != person["last_name"]
        # Once renamed, never back: the maiden name only opens the history.
        switch = names.index(person["last_name"])
        assert set(names[:switch]) == {person["former_last_name"]}
        assert set(names[switch:]) == {person["last_name"]}


def test_tax_years_are_in_range_and_unique_per_taxpayer(master_by_tin: Rows) -> None:
    for rows in master_by_tin.values():
        years = [int(str(row["tax_year"])) for row in rows]
        assert len(years) == len(set(years))
        assert all(2019 <= year <= 2025 for year in years)


def test_some_taxpayers_move_between_tax_years(master_by_tin: Rows) -> None:
    movers = sum(
        len({(r["street"], r["zip"]) for r in rows}) > 1 for rows in master_by_tin.values()
    )
    assert 0.2 < movers / len(master_by_tin) < 0.9


def test_master_addresses_are_complete(population: Population) -> None:
    for row in population.master.to_pylist():
        assert row["street"] and row["city"]
        assert len(str(row["state"])) == 2
        assert re.fullmatch(r"\d{5}(-\d{4})?", str(row["zip"]))


def test_tins_are_unique_and_well_formed(population: Population) -> None:
    tins = [row["tin"] for row in population.people.to_pylist() if row["tin"] is not None]
    assert len(tins) == len(set(tins))
    assert all(is_valid_ssn(tin) or is_valid_itin(tin) for tin in tins)
    assert any(is_valid_itin(tin) for tin in tins)


def test_non_filers_exist_some_without_tin(population: Population) -> None:
    non_filers = [row for row in population.people.to_pylist() if not row["is_filer"]]
    assert non_filers
    assert any(row["tin"] is None for row in non_filers)
    assert any(row["tin"] is not None for row in non_filers)


def test_households_have_one_head_and_family_relations(population: Population) -> None:
    relations: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for row in population.people.to_pylist():
        relations[str(row["household_id"])][str(row["relation"])] += 1
    assert all(counts["head"] == 1 for counts in relations.values())
    assert all(counts["spouse"] <= 1 for counts in relations.values())
    seen = set().union(*relations.values())
    assert seen == {"head", "spouse", "child", "parent"}


def test_twins_share_birth_household_and_family_name(people_by_id: People) -> None:
    twins = [row for row in people_by_id.values() if row["twin_of"] is not None]
    assert twins
    for row in twins:
        other = people_by_id[str(row["twin_of"])]
        assert other["twin_of"] == row["person_id"]
        assert other["date_of_birth"] == row["date_of_birth"]
        assert other["household_id"] == row["household_id"]
        assert other["first_name"] != row["first_name"]


def test_juniors_carry_their_fathers_name(people_by_id: People) -> None:
    juniors = [row for row in people_by_id.values() if row["name_suffix"] in ("JR", "II")]
    assert juniors
    for row in juniors:
        fathers = [
            p
            for p in people_by_id.values()
            if p["household_id"] == row["household_id"]
            and p["relation"] in ("head", "spouse")
            and p["sex"] == "M"
        ]
        # Father and son each file with or without accents, so compare the plain spelling.
        assert strip_accents(str(fathers[0]["first_name"])) == strip_accents(str(row["first_name"]))
        assert fathers[0]["date_of_birth"] != row["date_of_birth"]


def test_accented_and_plain_spellings_both_appear(population: Population) -> None:
    surnames = set(population.master.column("last_name").to_pylist())
    assert any(not name.isascii() for name in surnames)
    assert {"García", "Garcia"} <= {part for name in surnames for part in name.split()}


def test_compound_hispanic_surnames_and_namesakes(population: Population) -> None:
    filers = [row for row in population.people.to_pylist() if row["is_filer"]]
    assert any(row["maternal_surname"] for row in filers)
    names = Counter((row["first_name"], row["last_name"]) for row in filers)
    assert names.most_common(1)[0][1] > 2


def test_same_seed_same_population_other_seed_differs(population: Population) -> None:
    again = generate_population(POPULATION_SIZE, seed=11)
    assert again.master.equals(population.master)
    assert again.people.equals(population.people)
    assert not generate_population(POPULATION_SIZE, seed=12).master.equals(population.master)


@pytest.mark.parametrize("size", [pytest.param(0, id="zero"), pytest.param(-5, id="negative")])
def test_rejects_impossible_sizes(size: int) -> None:
    with pytest.raises(SynthSizeInvalid):
        generate_population(size, seed=1)


def test_one_taxpayer_is_enough() -> None:
    assert generate_population(1, seed=1).taxpayer_count == 1
