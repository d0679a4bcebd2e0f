"""Address standardisation with the USPS abbreviation tables that usaddress-scourgify ships."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from scourgify.address_constants import (
    CITY_ABBRS,
    DIRECTIONAL_REPLACEMENTS,
    OCCUPANCY_TYPE_ABBREVIATIONS,
    STREET_TYPE_ABBREVIATIONS,
)

from portcullis.matching.names import clean_text

_UNIT_WORDS = frozenset(
    {w.lower() for w in OCCUPANCY_TYPE_ABBREVIATIONS}
    | {w.lower() for w in OCCUPANCY_TYPE_ABBREVIATIONS.values()}
    | {"apt", "unit", "ste", "no"}
)
_HOUSE = re.compile(r"^\d+[a-z]?$")
_PO_BOX = re.compile(r"^(?:p ?o ?)?box (\w+)")


@dataclass(frozen=True, slots=True)
class StandardAddress:
    """An address reduced to the parts that are compared: house number, street name, unit, place."""

    house: str | None
    street_name: str | None
    unit: str | None
    city: str | None
    state: str | None
    zip5: str | None


def standardise_address(
    street: str | None, unit: str | None, city: str | None, state: str | None, zip_code: str | None
) -> StandardAddress:
    """Return the standard form of an address as written on a return or in a request."""
    house, name, inline_unit = street_parts(street)
    return StandardAddress(
        house=house,
        street_name=name,
        unit=unit_part(unit) or inline_unit,
        city=city_part(city),
        state=state_part(state),
        zip5=zip5_part(zip_code),
    )


# Each part depends on one raw field only, so the index normalises each distinct field value
# once; these functions are the single definition both sides use.
def street_parts(street: str | None) -> tuple[str | None, str | None, str | None]:
    """Return the house number, standard street name and inline unit of a street line."""
    return _split_street(clean_text(street))


def unit_part(unit: str | None) -> str | None:
    """Return the unit designator without its words and spaces ("Apt 4B" gives "4b")."""
    return _unit_token(clean_text(unit))


def city_part(city: str | None) -> str | None:
    """Return the city with USPS abbreviations expanded and spaces removed."""
    return _standard_city(clean_text(city))


def state_part(state: str | None) -> str | None:
    """Return the state code in upper case, or None when empty."""
    return clean_text(state).upper() or None


def zip5_part(zip_code: str | None) -> str | None:
    """Return the first five digits of a ZIP code, or None when it has fewer."""
    digits = "".join(ch for ch in (zip_code or "") if ch.isdigit())
    return digits[:5] if len(digits) >= 5 else None


@lru_cache(maxsize=262144)
def _split_street(text: str) -> tuple[str | None, str | None, str | None]:
    box = _PO_BOX.match(text.replace("post office", "po"))
    if box:
        return box.group(1), "pobox", None
    tokens = text.split()
    unit: str | None = None
    for position, token in enumerate(tokens):
        if token in _UNIT_WORDS and position > 0 and position + 1 < len(tokens):
            unit = _unit_token(" ".join(tokens[position + 1 :]))
            tokens = tokens[:position]
            break
    house = tokens[0] if tokens and _HOUSE.match(tokens[0]) else None
    rest = tokens[1:] if house else tokens
    words = [_standard_word(token) for token in rest]
    return house, ("".join(words) or None), unit


def _standard_word(token: str) -> str:
    upper = token.upper()
    return (
        DIRECTIONAL_REPLACEMENTS.get(upper) or STREET_TYPE_ABBREVIATIONS.get(upper) or upper
    ).lower()


def _unit_token(text: str) -> str | None:
    # "Apt 4B", "#4b" and "4 B" all name unit 4b: drop the designator words and the spaces.
    tokens = [token for token in text.split() if token not in _UNIT_WORDS]
    return "".join(tokens) or None


def _standard_city(text: str) -> str | None:
    # "St Louis" and "Saint Louis" are one city; spaces vary between writers.
    words = [CITY_ABBRS.get(token.upper(), token.upper()).lower() for token in text.split()]
    return "".join(words) or None
