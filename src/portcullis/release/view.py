"""The release view: the only fields of a matched record that a package may ever carry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Final

from portcullis.errors import PortcullisError

ReleaseValue = str | int | float | bool | None

# What the ICE program releases: the last known address and the tax year of the return that
# reported it (LEGAL.md table row 9).
LAST_KNOWN_ADDRESS_FIELDS: Final[tuple[str, ...]] = (
    "street",
    "unit",
    "city",
    "state",
    "zip",
    "address_tax_year",
)

# Taxpayer identity under 26 U.S.C. 6103(b)(6) is the ceiling of what (i)(2) lets out, whatever a
# program's configuration says: a misconfigured program fails loudly instead of leaking, say, a
# date of birth.
STATUTORY_CEILING: Final[frozenset[str]] = frozenset(
    {
        "first_name",
        "middle_name",
        "last_name",
        "name_suffix",
        "tin",
        *LAST_KNOWN_ADDRESS_FIELDS,
    }
)

_CONSTRUCTION_TOKEN: Final = object()


class AllowedFieldsInvalidError(PortcullisError):
    """A program's list of allowed release fields is empty or names a field twice."""


class FieldBeyondStatuteError(PortcullisError):
    """A program allows a field that is not taxpayer identity, which (i)(2) never releases."""


class FieldValueUnsupportedError(PortcullisError):
    """An allowed field holds a value that cannot be written into a JSON package."""


class ReleaseView(Mapping[str, ReleaseValue]):
    """An immutable copy of exactly the allowed fields of one matched record."""

    __slots__ = ("_fields",)
    _fields: Mapping[str, ReleaseValue]

    def __init__(self, fields: Mapping[str, ReleaseValue], *, token: object) -> None:
        # The token keeps every construction inside project_release_fields, the one place that
        # enforces the program's allow-list and the statutory ceiling.
        if token is not _CONSTRUCTION_TOKEN:
            raise TypeError("a ReleaseView is made only by project_release_fields")
        object.__setattr__(self, "_fields", MappingProxyType(dict(fields)))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a ReleaseView is immutable")

    def __getitem__(self, key: str) -> ReleaseValue:
        return self._fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __repr__(self) -> str:
        return f"ReleaseView(fields={list(self._fields)!r})"


def project_release_fields(record: Mapping[str, object], allowed: Sequence[str]) -> ReleaseView:
    """Copy exactly the allowed keys of `record` (None where missing) into a new ReleaseView."""
    if isinstance(allowed, str):
        raise AllowedFieldsInvalidError(
            "allowed release fields must be a sequence of names, not one string"
        )
    names = tuple(allowed)
    if not names:
        raise AllowedFieldsInvalidError("the program allows no release fields")
    if len(set(names)) != len(names):
        raise AllowedFieldsInvalidError(f"allowed release fields name a field twice: {list(names)}")
    beyond = sorted(set(names) - STATUTORY_CEILING)
    if beyond:
        raise FieldBeyondStatuteError(
            f"fields {beyond} are not taxpayer identity and cannot be released under 6103(i)(2)"
        )
    return ReleaseView(
        {name: _json_value(name, record.get(name)) for name in names}, token=_CONSTRUCTION_TOKEN
    )


def _json_value(name: str, value: object) -> ReleaseValue:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    raise FieldValueUnsupportedError(
        f"field {name} holds a {type(value).__name__}, not a JSON value"
    )
