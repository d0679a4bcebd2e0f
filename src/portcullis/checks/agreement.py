"""Address agreement, for programs that require the requester's address to be the one we hold."""

from __future__ import annotations

from collections.abc import Mapping

from portcullis.checks.duplicates import normalise_token
from portcullis.checks.findings import Finding, finding
from portcullis.checks.street import delivery_key
from portcullis.contract.records import RequestItem
from portcullis.programs import Program


def check_address_agreement(
    item: RequestItem, matched_address: Mapping[str, object], program: Program
) -> Finding | None:
    """Refuse when the program requires agreement and the addresses differ in any part."""
    # The message names no part, so that a refusal does not tell the requester what we hold.
    if not program.address_must_agree:
        return None
    ours = _address_key(matched_address)
    theirs = _address_key(
        {"street": item.street, "city": item.city, "state": item.state, "zip": item.zip}
    )
    if ours == theirs and all(ours):
        return None
    return finding("address_disagrees", "the address does not agree with the address of record")


def check_not_agency_address(item: RequestItem, program: Program) -> Finding | None:
    """Refuse an item whose address is one the program lists as not a taxpayer's own."""
    if not program.agency_addresses or item.street is None or item.zip is None:
        return None
    theirs = (*delivery_key(item.street), item.zip[:5])
    for place in program.agency_addresses:
        if theirs == (*delivery_key(place.street), place.zip[:5]):
            message = f"the address is {place.label}, not the taxpayer's own"
            return finding("address_not_taxpayers", message, "street")
    return None


def _address_key(address: Mapping[str, object]) -> tuple[str, ...]:
    street = str(address.get("street") or "")
    zip_code = str(address.get("zip") or "")[:5]
    return (
        *delivery_key(street),
        normalise_token(str(address.get("city") or "")),
        normalise_token(str(address.get("state") or "")),
        zip_code,
    )
