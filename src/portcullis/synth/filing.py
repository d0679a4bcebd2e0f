"""Who files a return, for which tax years, and under which kind of TIN."""

from __future__ import annotations

import random

from portcullis.synth.person import FIRST_TAX_YEAR, LAST_TAX_YEAR, Person
from portcullis.synth.tins import TinIssuer

_FILES = {"head": 0.96, "spouse": 0.78, "child": 0.62, "parent": 0.45}
# Share of filers who file with an ITIN, by origin.
_ITIN = {
    "hispanic": 0.22,
    "haitian": 0.12,
    "arabic": 0.08,
    "chinese": 0.07,
    "indian": 0.06,
    "vietnamese": 0.04,
    "anglo": 0.005,
}
FILERLESS_SHARE = 0.03
ACCENTED_SHARE = 0.55


def draw_filing_years(rng: random.Random, person: Person) -> tuple[int, ...]:
    """Return the tax years a filer filed, possibly none, possibly with a gap."""
    earliest = max(FIRST_TAX_YEAR, person.birth.year + 18)
    start = earliest if rng.random() < 0.8 else earliest + rng.randint(1, 3)
    roll = rng.random()
    end = (
        LAST_TAX_YEAR
        if roll < 0.55
        else LAST_TAX_YEAR - 1
        if roll < 0.85
        else rng.randint(FIRST_TAX_YEAR, LAST_TAX_YEAR - 2)
    )
    years = list(range(start, end + 1))
    if len(years) > 3 and rng.random() < 0.1:
        years.pop(rng.randrange(1, len(years) - 1))
    return tuple(years)


def assign_filing(rng: random.Random, tins: TinIssuer, members: list[Person]) -> None:
    """Decide in place who files, for which years, with which TIN, and accents as filed."""
    filerless = rng.random() < FILERLESS_SHARE
    for person in members:
        person.accented = rng.random() < ACCENTED_SHARE
        adult = person.birth.year <= LAST_TAX_YEAR - 18
        if adult and not filerless and rng.random() < _FILES[person.relation]:
            person.years = draw_filing_years(rng, person)
        if person.former is not None and not (
            person.years and person.years[0] < person.renamed_in <= person.years[-1]
        ):
            # Keep a change of name only when returns exist under both names; otherwise the
            # master would hold a name the person no longer uses, or never show the old one.
            person.former = None
        if person.years:
            itin = rng.random() < _ITIN[person.origin]
            person.tin = tins.issue_itin() if itin else tins.issue_ssn()
        elif not adult:
            roll = rng.random()
            person.tin = (
                tins.issue_ssn() if roll < 0.88 else tins.issue_itin() if roll < 0.92 else None
            )
        elif rng.random() < 0.55:
            itin = rng.random() < 2 * _ITIN[person.origin]
            person.tin = tins.issue_itin() if itin else tins.issue_ssn()
