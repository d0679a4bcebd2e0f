"""The address check (26 U.S.C. 6103(i)(2)(B)(i)): a real street line, city, state and ZIP code."""

from __future__ import annotations

import re
from collections.abc import Mapping

import usaddress

from portcullis.checks.findings import Finding, finding
from portcullis.checks.placeholders import is_placeholder
from portcullis.contract.records import RequestItem
from portcullis.contract.usps import USPS_STATES

_ZIP = re.compile(r"^\d{5}(?:-\d{4})?$")
_PARTS: tuple[tuple[str, str], ...] = (
    ("street", "street line"),
    ("city", "city"),
    ("state", "state"),
    ("zip", "ZIP code"),
)


def address_findings(item: RequestItem) -> tuple[Finding, ...]:
    """Refuse an item whose address is incomplete, a placeholder, or not a real address."""
    # The TIN is deliberately not consulted: it never stands in for an address (the 2025 failure).
    return _part_findings({field: getattr(item, field) for field, _ in _PARTS})


def record_address_findings(address: Mapping[str, object]) -> tuple[Finding, ...]:
    """Withhold a release whose address of record is not itself a complete street address.

    The same rules as for the requester's address apply to what would be released: a ZIP code, a
    placeholder or a city alone is never disclosed as an address (the 2025 failure).
    """
    parts = {field: _as_text(address.get(field)) for field, _ in _PARTS}
    faults = _part_findings(parts)
    if not faults:
        return ()
    named = ", ".join(sorted({f.field or "" for f in faults}))
    message = f"the address of record is not a complete street address ({named})"
    return (finding("record_address_unusable", message),)


def _as_text(value: object) -> str | None:
    return None if value is None else str(value)


def _part_findings(parts: Mapping[str, str | None]) -> tuple[Finding, ...]:
    found: list[Finding] = []
    for field, label in _PARTS:
        value = parts[field]
        if value is None or not value.strip():
            found.append(
                finding("address_incomplete", f"the {label} is missing or unreadable", field)
            )
        elif is_placeholder(value, address=True):
            found.append(
                finding("address_placeholder", f"the {label} {value!r} is a placeholder", field)
            )
    present = {f.field for f in found}
    street, city, state, zip_code = (parts[field] for field, _ in _PARTS)
    if street is not None and "street" not in present and not is_street_line(street):
        found.append(
            finding(
                "address_street_unparseable",
                f"the street line {street!r} is not a street address or post office box",
                "street",
            )
        )
    elif street is not None and "street" not in present and _names_a_placeholder(street):
        found.append(
            finding(
                "address_placeholder",
                f"the street line {street!r} puts a house number before a placeholder",
                "street",
            )
        )
    if city is not None and "city" not in present and not _is_city(city):
        found.append(
            finding("address_placeholder", f"the city {city!r} is not a place name", "city")
        )
    if state is not None and "state" not in present and state.upper() not in USPS_STATES:
        found.append(
            finding("address_state_invalid", f"{state!r} is not a USPS state code", "state")
        )
    if zip_code is not None and "zip" not in present and not _ZIP.match(zip_code):
        found.append(finding("address_zip_invalid", f"{zip_code!r} is not a ZIP code", "zip"))
    return tuple(found)


def is_street_line(text: str) -> bool:
    """Tell whether `text` parses as a numbered street address or a post office box."""
    try:
        parts, kind = usaddress.tag(text)
    except usaddress.RepeatedLabelError:
        return False
    if kind == "Street Address":
        return "AddressNumber" in parts and "StreetName" in parts
    if kind == "PO Box":
        return "USPSBoxID" in parts
    return False


def _names_a_placeholder(text: str) -> bool:
    # "123 UNKNOWN ST", "1 N/A Street", "5 Not Provided Ave": a number dressed as a street.
    try:
        parts, _ = usaddress.tag(text)
    except usaddress.RepeatedLabelError:
        return False
    name = parts.get("StreetName")
    return name is not None and is_placeholder(name, address=True)


def _is_city(text: str) -> bool:
    # A city must be a name: letters, never a ZIP code or a number put in its place.
    return sum(char.isalpha() for char in text) >= 2
