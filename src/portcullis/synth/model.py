"""The generator's products: a population with its master file, and a request with its truth."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow.compute as pc

PEOPLE_COLUMNS: tuple[str, ...] = (
    "person_id",
    "tin",
    "first_name",
    "middle_name",
    "last_name",
    "name_suffix",
    "date_of_birth",
    "household_id",
    "relation",
    "is_filer",
    "twin_of",
    "street",
    "unit",
    "city",
    "state",
    "zip",
    "origin",
    "sex",
    "maternal_surname",
    "former_last_name",
)

TRUTH_COLUMNS: tuple[str, ...] = (
    "row",
    "item_id",
    "person_id",
    "true_tin",
    "kind",
    "defects",
    "expected",
    "confusable_with",
)


@dataclass(frozen=True, slots=True)
class Population:
    """A synthetic population: the master file the IRS holds and everyone generated."""

    master: Any  # pyarrow.Table with the columns of portcullis.contract.columns.MASTER_COLUMNS
    people: Any  # pyarrow.Table with PEOPLE_COLUMNS, filers and non-filers alike
    seed: int

    @property
    def taxpayer_count(self) -> int:
        """Return the number of distinct taxpayers (TINs) in the master file."""
        return int(pc.sum(self.people.column("is_filer")).as_py() or 0)


@dataclass(frozen=True, slots=True)
class RequestBatch:
    """A synthetic request file and the ground truth of every row in it."""

    items: Any  # pyarrow.Table: REQUEST_COLUMNS plus final_order_date, all strings
    truth: Any  # pyarrow.Table with TRUTH_COLUMNS, one row per item row
    seed: int
