"""The address check (26 U.S.C. 6103(i)(2)(B)(i)): a real street line, city, state and ZIP code."""

from __future__ import annotations

from collections.abc import Mapping

from portcullis.checks.findings import Finding, finding
from portcullis.checks.street import MILITARY_FORMS, StreetLine, read_street_line
from portcullis.contract.placeholders import is_placeholder, placeholder_within
from portcullis.contract.records import RequestItem
from portcullis.contract.usps import (
    UNISSUED_ZIP_PREFIX,
    USPS_MILITARY_CITIES,
    USPS_MILITARY_ZIP_PREFIXES,
    USPS_STATES,
    ZIP_CODE,
)

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
    line: StreetLine | None = None
    if street is not None and "street" not in present:
        read = read_street_line(street)
        if isinstance(read, StreetLine):
            line = read
        else:
            found.append(finding(read.code, read.message, "street"))
    if city is not None and "city" not in present:
        found.extend(_city_findings(city))
    if state is not None and "state" not in present and state.upper() not in USPS_STATES:
        found.append(
            finding("address_state_invalid", f"{state!r} is not a USPS state code", "state")
        )
    if zip_code is not None and "zip" not in present:
        found.extend(_zip_findings(zip_code))
    if not found:
        found.extend(_military_findings(line, city or "", state or "", zip_code or ""))
    return tuple(found)


def _city_findings(city: str) -> tuple[Finding, ...]:
    # A city must be a name: letters, never a ZIP code, a number or a placeholder put in its place.
    held = placeholder_within(city)
    if held is not None:
        message = f"the city {city!r} holds the placeholder {held!r}"
        return (finding("address_placeholder", message, "city"),)
    if sum(char.isalpha() for char in city) < 2:
        return (finding("address_placeholder", f"the city {city!r} is not a place name", "city"),)
    return ()


def _zip_findings(zip_code: str) -> tuple[Finding, ...]:
    if not ZIP_CODE.match(zip_code):
        return (finding("address_zip_invalid", f"{zip_code!r} is not a ZIP code", "zip"),)
    if zip_code.startswith(UNISSUED_ZIP_PREFIX):
        message = f"{zip_code!r} is not a ZIP code: none begins {UNISSUED_ZIP_PREFIX}"
        return (finding("address_zip_invalid", message, "zip"),)
    return ()


def _military_findings(
    line: StreetLine | None, city: str, state: str, zip_code: str
) -> tuple[Finding, ...]:
    # Publication 28, section 225: APO/FPO/DPO mail goes to a unit or ship box, in AA, AE or AP,
    # within that state's ZIP codes; none of the three stands for a civilian address.
    military_city = city.strip().upper() in USPS_MILITARY_CITIES
    prefixes = USPS_MILITARY_ZIP_PREFIXES.get(state.upper())
    military_line = line is not None and line.form in MILITARY_FORMS
    if military_city != (prefixes is not None):
        message = f"APO, FPO and DPO mail is addressed to AA, AE or AP, not {city!r}, {state!r}"
        return (finding("address_state_invalid", message, "state"),)
    if military_city and not military_line:
        message = "APO, FPO and DPO mail goes to a PSC, UNIT or CMR box or a ship"
        return (finding("address_street_unparseable", message, "street"),)
    if military_line and not military_city:
        message = "a PSC, UNIT or CMR box or a ship is military mail: the city is APO, FPO or DPO"
        return (finding("address_street_unparseable", message, "street"),)
    if prefixes is not None and zip_code[:3] not in prefixes:
        message = f"{zip_code!r} is not a ZIP code of {state.upper()} military mail"
        return (finding("address_zip_invalid", message, "zip"),)
    return ()
