"""Tests for portcullis.synth.filing."""

from __future__ import annotations

import random

from portcullis.synth.addresses import AddressBook
from portcullis.synth.filing import assign_filing
from portcullis.synth.households import HouseholdMaker
from portcullis.synth.person import FIRST_TAX_YEAR, LAST_TAX_YEAR, Person
from portcullis.synth.tins import TinIssuer, is_valid_itin


def _filed_households(count: int) -> list[list[Person]]:
    rng = random.Random(31)
    maker, tins = HouseholdMaker(rng, AddressBook()), TinIssuer(rng)
    out = []
    for _ in range(count):
        members = maker.build()
        assign_filing(rng, tins, members)
        out.append(members)
    return out


def test_only_adults_file_and_every_filer_has_a_tin() -> None:
    for members in _filed_households(2000):
        for person in members:
            if person.years:
                assert person.tin is not None
                assert person.years[0] >= max(FIRST_TAX_YEAR, person.birth.year + 18)
                assert person.years[-1] <= LAST_TAX_YEAR
                assert list(person.years) == sorted(set(person.years))


def test_filing_mixes_filers_non_filers_and_itins() -> None:
    people = [p for members in _filed_households(2000) for p in members]
    filers = [p for p in people if p.years]
    assert 0.4 < len(filers) / len(people) < 0.8
    assert any(p.tin and is_valid_itin(p.tin) for p in filers)
    assert any(p.tin is None for p in people)
    assert any(p.accented for p in filers) and any(not p.accented for p in filers)
