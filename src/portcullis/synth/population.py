"""Generate a synthetic taxpayer population and its master file, deterministically by seed."""

from __future__ import annotations

import array
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.synth.addresses import AddressBook
from portcullis.synth.errors import SynthSizeInvalid
from portcullis.synth.filing import assign_filing
from portcullis.synth.households import HouseholdMaker
from portcullis.synth.model import PEOPLE_COLUMNS, Population
from portcullis.synth.person import Person, address_in
from portcullis.synth.tins import TinIssuer

Progress = Callable[[int, int], None]
Arrays = dict[str, pa.Array]
MAX_TAXPAYERS = 50_000_000


_EPOCH_ORDINAL = 719_163  # date(1970, 1, 1).toordinal(): Arrow dates count days from here
# Columns built from integer arrays after the loop rather than as millions of Python strings.
_DERIVED = ("person_id", "household_id", "date_of_birth")


def _int_array(values: array.array[int], kind: pa.DataType) -> pa.Array:
    return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(values)])


def _numbered(prefix: str, numbers: pa.Array) -> pa.Array:
    digits = pc.utf8_lpad(pc.cast(numbers, pa.string()), 8, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


@dataclass(slots=True)
class _Columns:
    """Parallel columns: one entry per person, and one per master row."""

    people: dict[str, list[object]] = field(
        default_factory=lambda: {name: [] for name in PEOPLE_COLUMNS if name not in _DERIVED}
    )
    household: array.array[int] = field(default_factory=lambda: array.array("q"))
    birth: array.array[int] = field(default_factory=lambda: array.array("i"))
    home: array.array[int] = field(default_factory=lambda: array.array("q"))
    row_person: array.array[int] = field(default_factory=lambda: array.array("q"))
    row_address: array.array[int] = field(default_factory=lambda: array.array("q"))
    row_year: array.array[int] = field(default_factory=lambda: array.array("i"))
    # Master rows filed under an earlier family name, in row order, and that name.
    renamed_rows: array.array[int] = field(default_factory=lambda: array.array("q"))
    renamed_names: list[str] = field(default_factory=list)

    def add_household(self, household: int, members: list[Person]) -> None:
        """Append a household's members and their master rows."""
        base = len(self.home)
        cols = self.people
        for offset, person in enumerate(members):
            index = base + offset
            first, middle, last = person.filed_name()
            cols["tin"].append(person.tin)
            cols["first_name"].append(first)
            cols["middle_name"].append(middle)
            cols["last_name"].append(last)
            cols["name_suffix"].append(person.suffix)
            cols["relation"].append(person.relation)
            cols["is_filer"].append(bool(person.years))
            twin = None if person.twin_of is None else f"P{base + person.twin_of:08d}"
            cols["twin_of"].append(twin)
            cols["origin"].append(person.origin)
            cols["sex"].append(person.sex)
            cols["maternal_surname"].append(person.maternal_as_filed())
            cols["former_last_name"].append(person.former_as_filed())
            self.household.append(household)
            self.birth.append(person.birth.toordinal() - _EPOCH_ORDINAL)
            self.home.append(person.history[-1][1])
            for year in person.years:
                if person.former is not None and year < person.renamed_in:
                    self.renamed_rows.append(len(self.row_year))
                    self.renamed_names.append(person.filed_name(year)[2])
                self.row_person.append(index)
                self.row_address.append(address_in(person.history, year))
                self.row_year.append(year)

    def identity_arrays(self) -> dict[str, pa.Array]:
        """Return the per-person columns, derived ones included, as Arrow arrays."""
        arrays = {
            name: pa.array(values, pa.bool_() if name == "is_filer" else pa.string())
            for name, values in self.people.items()
        }
        count = len(self.home)
        arrays["person_id"] = _numbered("P", pa.array(range(count), pa.int64()))
        arrays["household_id"] = _numbered("H", _int_array(self.household, pa.int64()))
        births = _int_array(self.birth, pa.int32()).view(pa.date32())
        arrays["date_of_birth"] = pc.cast(births, pa.string())
        return arrays


def generate_population(
    n_taxpayers: int, seed: int, progress: Progress | None = None
) -> Population:
    """Return a population with exactly n_taxpayers filers, the same for the same seed."""
    if not 1 <= n_taxpayers <= MAX_TAXPAYERS:
        raise SynthSizeInvalid(
            f"taxpayers must be between 1 and {MAX_TAXPAYERS}, not {n_taxpayers}"
        )
    rng = random.Random(f"portcullis-population:{seed}")
    book = AddressBook()
    maker = HouseholdMaker(rng, book)
    tins = TinIssuer(rng)
    columns = _Columns()
    filers = household = 0
    while filers < n_taxpayers:
        members = maker.build()
        assign_filing(rng, tins, members)
        for person in members:
            if person.years and filers >= n_taxpayers:
                # The last household may overshoot: its extra adults simply stop filing.
                person.years = ()
            filers += bool(person.years)
        columns.add_household(household, members)
        household += 1
        if progress is not None and household % 2048 == 0:
            progress(filers, n_taxpayers)
    if progress is not None:
        progress(filers, n_taxpayers)
    identity, places = columns.identity_arrays(), _address_arrays(book)
    master = _master_table(columns, identity, places)
    return Population(master, _people_table(columns, identity, places), seed)


def _address_arrays(book: AddressBook) -> Arrays:
    return {
        "street": pa.array(book.street, pa.string()),
        "unit": pa.array(book.unit, pa.string()),
        "city": pa.array(book.city, pa.string()),
        "state": pa.array(book.state, pa.string()),
        "zip": pa.array(book.zip, pa.string()),
    }


def _rename_rows(last_names: pa.Array, columns: _Columns) -> pa.Array:
    """Return the family names with rows filed before a change of name put back to the old name."""
    if not columns.renamed_rows:
        return last_names
    flags = bytearray(len(last_names))
    for row in columns.renamed_rows:
        flags[row] = 1
    mask = pc.not_equal(_int_array(array.array("b", flags), pa.int8()), 0)
    return pc.replace_with_mask(last_names, mask, pa.array(columns.renamed_names, pa.string()))


def _people_table(columns: _Columns, identity: Arrays, places: Arrays) -> pa.Table:
    home = _int_array(columns.home, pa.int64())
    arrays = {**identity, **{name: column.take(home) for name, column in places.items()}}
    return pa.table({name: arrays[name] for name in PEOPLE_COLUMNS})


def _master_table(columns: _Columns, identity: Arrays, places: Arrays) -> pa.Table:
    person = _int_array(columns.row_person, pa.int64())
    address = _int_array(columns.row_address, pa.int64())
    arrays: Arrays = {}
    for name in ("tin", "first_name", "middle_name", "last_name", "name_suffix", "date_of_birth"):
        arrays[name] = identity[name].take(person)
    arrays["last_name"] = _rename_rows(arrays["last_name"], columns)
    for name, column in places.items():
        arrays[name] = column.take(address)
    arrays["tax_year"] = _int_array(columns.row_year, pa.int32())
    return pa.table({name: arrays[name] for name in MASTER_COLUMNS})
