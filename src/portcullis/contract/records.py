"""Typed records for master rows, request items and the errors found while reading them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class FieldError:
    """One field of one input row that could not be accepted."""

    row: int  # 1-based data row number (the header is row 0)
    field: str
    code: str  # machine code, e.g. "malformed_date", "missing"
    message: str

    def describe(self) -> str:
        """Return the one-line text an operator sees."""
        return f"row {self.row}, field {self.field}: {self.message}"


@dataclass(frozen=True, slots=True)
class MasterRecord:
    """One taxpayer address record: the address a return for one tax year reported."""

    tin: str  # 9 digits, no separators
    first_name: str
    middle_name: str | None
    last_name: str
    name_suffix: str | None
    date_of_birth: dt.date | None
    street: str
    unit: str | None
    city: str
    state: str  # two-letter USPS code, upper case
    zip: str  # 5 digits or 5+4 as "12345-6789"
    tax_year: int


@dataclass(frozen=True, slots=True)
class RequestItem:
    """One named individual of a request file, as read: normalised text plus any field errors.

    Values are normalised (whitespace collapsed, TIN digits only, ZIP as 5 or 5+4 digits, dates
    parsed) but never judged here: whether an item may proceed is for `portcullis.checks`.
    A field that could not be normalised is None and has a matching entry in `field_errors`; so is
    an optional field holding a placeholder (unit N/A, middle name NMN), which means "not given".
    """

    row: int
    item_id: str | None
    first_name: str | None
    middle_name: str | None
    last_name: str | None
    name_suffix: str | None
    date_of_birth: dt.date | None
    tin: str | None
    street: str | None
    unit: str | None
    city: str | None
    state: str | None
    zip: str | None
    taxable_periods: str | None
    statute: str | None
    case_number: str | None
    reason: str | None
    recipient_officers: tuple[str, ...]
    extra: dict[str, str] = field(default_factory=dict)
    field_errors: tuple[FieldError, ...] = ()


def item_to_json(item: RequestItem) -> dict[str, Any]:
    """Turn a request item into the JSON kept in the state database."""
    data = dataclasses.asdict(item)
    data["date_of_birth"] = item.date_of_birth.isoformat() if item.date_of_birth else None
    data["recipient_officers"] = list(item.recipient_officers)
    return data


def item_from_json(data: dict[str, Any]) -> RequestItem:
    """Rebuild a request item from its stored JSON."""
    values = dict(data)
    dob = values.get("date_of_birth")
    values["date_of_birth"] = dt.date.fromisoformat(dob) if dob else None
    values["recipient_officers"] = tuple(values.get("recipient_officers") or ())
    values["field_errors"] = tuple(
        FieldError(**error) for error in values.get("field_errors") or ()
    )
    values["extra"] = dict(values.get("extra") or {})
    return RequestItem(**values)
