"""A generated person and their address history, before they become table rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portcullis.synth.names import compose_last, strip_accents

FIRST_TAX_YEAR = 2019
LAST_TAX_YEAR = 2025

# (first tax year at this address, address index); shared by everyone living together.
History = list[tuple[int, int]]


@dataclass(slots=True)
class Person:
    """One member of a generated household, filer or not."""

    origin: str
    sex: str
    first: str
    middle: str | None
    paternal: str
    maternal: str | None
    style: str
    birth: dt.date
    relation: str
    history: History
    suffix: str | None = None
    twin_of: int | None = None
    tin: str | None = None
    years: tuple[int, ...] = ()
    accented: bool = True
    former: str | None = None  # family name filed before a change of name, as then written
    renamed_in: int = FIRST_TAX_YEAR  # first tax year filed under the current family name

    def filed_name(self, year: int = LAST_TAX_YEAR) -> tuple[str, str | None, str]:
        """Return first, middle and family name as this person wrote them for a tax year."""
        last = compose_last(self.paternal, self.maternal, self.style)
        if self.former is not None and year < self.renamed_in:
            last = self.former
        if self.accented:
            return self.first, self.middle, last
        middle = strip_accents(self.middle) if self.middle else None
        return strip_accents(self.first), middle, strip_accents(last)

    def former_as_filed(self) -> str | None:
        """Return the family name filed before a change of name, if any return carries it."""
        if self.former is None or not self.years or self.years[0] >= self.renamed_in:
            return None
        return self.former if self.accented else strip_accents(self.former)

    def maternal_as_filed(self) -> str | None:
        """Return the maternal surname as it appears in the filed family name, if it does."""
        if self.maternal is None or self.style == "paternal":
            return None
        return self.maternal if self.accented else strip_accents(self.maternal)


def address_in(history: History, year: int) -> int:
    """Return the address index in effect during a tax year."""
    current = history[0][1]
    for since, index in history:
        if since > year:
            break
        current = index
    return current
