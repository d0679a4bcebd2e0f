"""The requester's way of writing an address: abbreviations, unit styles, capitals, slips."""

from __future__ import annotations

import random
from dataclasses import replace
from functools import cache

from portcullis.synth.addresses import Address
from portcullis.synth.perturb import add_typo
from portcullis.synth.pools import load_places

# Notes restyle_address makes, and the draft's note that an address is newer than any return.
ADDRESS_NOTES: frozenset[str] = frozenset(
    {
        "street_type_spelled_out",
        "unit_restyled",
        "zip_plus4",
        "zip_plus4_dropped",
        "address_upper_case",
        "address_typo",
        "address_newer_than_master",
    }
)


@cache
def _street_types() -> dict[str, str]:
    types: dict[str, str] = load_places()["street_types"]
    return types


def _expand_street_type(street: str) -> str:
    head, _, last = street.rpartition(" ")
    full = _street_types().get(last)
    return f"{head} {full}" if full and full != last else street


def _restyle_unit(rng: random.Random, unit: str) -> str:
    kind, _, number = unit.partition(" ")
    roll = rng.random()
    if roll < 0.5:
        return f"#{number}"
    if roll < 0.75 and kind == "Apt":
        return f"Apartment {number}"
    return f"{kind.upper()} {number}"


def misspell_street(rng: random.Random, street: str) -> str:
    """Return the street line with one slip in its name, keeping house number and street type."""
    number, _, rest = street.partition(" ")
    name, _, kind = rest.rpartition(" ")
    # A slip in the type ("Ciurt") makes the line unparseable, which is a different defect.
    return f"{number} {add_typo(rng, name)} {kind}" if name else f"{number} {add_typo(rng, rest)}"


def restyle_address(
    rng: random.Random, address: Address, slips: bool = True
) -> tuple[Address, list[str]]:
    """Return the address as a requester might write it, and the differences introduced."""
    notes: list[str] = []
    out = address
    if rng.random() < 0.35:
        expanded = _expand_street_type(out.street)
        if expanded != out.street:
            out, notes = replace(out, street=expanded), [*notes, "street_type_spelled_out"]
    if out.unit and rng.random() < 0.4:
        unit = _restyle_unit(rng, out.unit)
        if rng.random() < 0.3:
            out = replace(out, street=f"{out.street} {unit}", unit=None)
        else:
            out = replace(out, unit=unit)
        notes.append("unit_restyled")
    if len(out.zip) == 5 and rng.random() < 0.1:
        out = replace(out, zip=f"{out.zip}-{rng.randrange(1, 10000):04d}")
        notes.append("zip_plus4")
    elif len(out.zip) > 5 and rng.random() < 0.5:
        out = replace(out, zip=out.zip[:5])
        notes.append("zip_plus4_dropped")
    if rng.random() < 0.15:
        out = replace(
            out,
            street=out.street.upper(),
            unit=out.unit.upper() if out.unit else None,
            city=out.city.upper(),
        )
        notes.append("address_upper_case")
    if slips and rng.random() < 0.06:
        out = replace(out, street=misspell_street(rng, out.street))
        notes.append("address_typo")
    return out, notes
