"""What the generator knows about the people an item names: identity and address history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from portcullis.synth.addresses import Address
from portcullis.synth.model import Population


@dataclass(frozen=True, slots=True)
class Subject:
    """A person an item may name, with the addresses the master file holds for them."""

    index: int
    person_id: str
    tin: str | None
    is_filer: bool
    first: str
    middle: str | None
    last: str
    suffix: str | None
    dob: dt.date
    maternal: str | None
    former: str | None  # family name on earlier returns, before a change of name
    current: Address
    history: tuple[tuple[int, Address], ...]  # (tax year, address), ascending; empty if no returns

    @property
    def last_known(self) -> Address | None:
        """Return the address on the latest return, or None for a non-filer."""
        return self.history[-1][1] if self.history else None

    @property
    def filed_years(self) -> list[int]:
        """Return the tax years with a return on file."""
        return [year for year, _ in self.history]

    def earlier_addresses(self) -> list[tuple[int, Address]]:
        """Return (latest year, address) for each earlier address unlike the last known one."""
        last = self.last_known
        seen: dict[Address, int] = {}
        for year, address in self.history:
            if last is not None and (address.street, address.zip) != (last.street, last.zip):
                seen[address] = year
        return sorted(((year, address) for address, year in seen.items()), key=lambda p: p[0])


def _address(row: dict[str, Any]) -> Address:
    return Address(row["street"], row["unit"], row["city"], row["state"], row["zip"])


def load_subjects(population: Population, indices: list[int]) -> dict[int, Subject]:
    """Return the subjects at the given row numbers of Population.people, keyed by row number."""
    wanted = sorted(set(indices))
    rows = population.people.take(pa.array(wanted, pa.int64())).to_pylist()
    tins = [row["tin"] for row in rows if row["is_filer"]]
    master = population.master
    mask = pc.is_in(master.column("tin"), value_set=pa.array(tins, pa.string()))
    history: dict[str, list[tuple[int, Address]]] = {}
    for rec in master.filter(mask).to_pylist():
        history.setdefault(rec["tin"], []).append((rec["tax_year"], _address(rec)))
    subjects: dict[int, Subject] = {}
    for index, row in zip(wanted, rows, strict=True):
        past = sorted(history.get(row["tin"], []), key=lambda p: p[0]) if row["is_filer"] else []
        subjects[index] = Subject(
            index=index,
            person_id=row["person_id"],
            tin=row["tin"],
            is_filer=row["is_filer"],
            first=row["first_name"],
            middle=row["middle_name"],
            last=row["last_name"],
            suffix=row["name_suffix"],
            dob=dt.date.fromisoformat(row["date_of_birth"]),
            maternal=row["maternal_surname"],
            former=row["former_last_name"],
            current=_address(row),
            history=tuple(past),
        )
    return subjects
