"""What a street line must be to name a delivery point: the forms of USPS Publication 28.

A street line is read as exactly one of: a house number and a street name (usaddress parses it),
a post office box, a rural route or highway contract route box, General Delivery, military mail
(a PSC, UNIT or CMR box, or a ship), or the Puerto Rico forms (an urbanization before a street
address, a condominium or public housing apartment, a kilometre on a carretera). Anything else,
and any of these carrying a placeholder, is not an address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import dropwhile
from typing import Literal

import usaddress
from anyascii import anyascii

from portcullis.contract.placeholders import is_placeholder, placeholder_within

Form = Literal[
    "street",
    "po_box",
    "rural_route",
    "highway_contract",
    "general_delivery",
    "military",
    "ship",
    "apartment_building",
    "kilometre",
]
MILITARY_FORMS: frozenset[Form] = frozenset({"military", "ship"})
Fault = Literal["address_placeholder", "address_street_unparseable"]


@dataclass(frozen=True, slots=True)
class StreetLine:
    """A street line read as one delivery form: the number and name that find the point."""

    form: Form
    number: str  # house, box or kilometre number, upper case; "" for General Delivery
    name: str  # street name, route or building, upper case with single spaces


@dataclass(frozen=True, slots=True)
class StreetLineRefused:
    """Why a street line names no delivery point: its reason code and one line for the operator."""

    code: Fault
    message: str


# An identifier of a box, route or unit: letters and digits with at least one digit not zero.
_ID = r"#? ?(?P<{}>[A-Z0-9]+(?:-[A-Z0-9]+)?)"
_BOX = _ID.format("number")
_ROUTE = _ID.format("route")
_PATTERNS: tuple[tuple[Form, re.Pattern[str]], ...] = (
    ("general_delivery", re.compile(r"^GENERAL DELIVERY$")),
    (
        "po_box",
        re.compile(rf"^(?:P ?O ?B(?:OX)?|POST OFFICE BOX|POST BOX|BOX|APARTADO) ?{_BOX}$"),
    ),
    (
        "rural_route",
        re.compile(
            rf"^(?:RR|R R|RFD|RURAL ROUTE|RURAL RTE|RURAL RT|ROUTE|RTE|RT) ?{_ROUTE}"
            rf" (?:BOX|BX) ?{_BOX}$"
        ),
    ),
    (
        "highway_contract",
        re.compile(
            rf"^(?:HC|HCR|H C|HIGHWAY CONTRACT(?: ROUTE)?|STAR ROUTE) ?{_ROUTE} (?:BOX|BX) ?{_BOX}$"
        ),
    ),
    (
        "military",
        re.compile(r"^(?:PSC|UNIT|CMR|OMC) ?#? ?(?P<route>\d+) (?:BOX|BX) ?#? ?(?P<number>\d+)$"),
    ),
    (
        "ship",
        re.compile(
            r"^(?:USS|USNS|USCGC|USNV) (?P<route>[A-Z][A-Z' -]*?)"
            r"(?: ?\(?(?P<number>[A-Z]{1,4} ?-?\d{1,4})\)?)?$"
        ),
    ),
    (
        "apartment_building",
        re.compile(
            r"^(?:COND|CONDOMINIO|RES|RESIDENCIAL|EDIF|EDIFICIO) (?P<route>[A-Z][A-Z0-9' -]*?) "
            r"(?:APT|APTO|APARTAMENTO|UNIT|STE|OFIC|OFICINA) ?" + _ID.format("number") + "$"
        ),
    ),
    (
        # Puerto Rico writes the house number after the street: "Calle 2 #45", "Ave Sol Num 12".
        "street",
        re.compile(
            r"^(?P<route>(?:CALLE|AVE|AVENIDA|CAMINO|PASEO|CARR|CARRETERA) [A-Z0-9][A-Z0-9' -]*?)"
            r" ?(?:#|NUM|NUMERO) ?(?P<number>\d+[A-Z]?)$"
        ),
    ),
    (
        "kilometre",
        re.compile(
            r"^(?:CARR|CARRETERA) (?P<route>\d+[A-Z]?) (?:KM|K) (?P<number>\d+(?:\.\d+)?)(?: .+)?$"
        ),
    ),
)
# Puerto Rico: the urbanization may be written on the street line, before the street address.
_URBANIZATION = re.compile(r"^(?:URB|URBANIZACION|URBANIZATION) (?P<name>[^0-9]+?) (?P<rest>\d.*)$")
# A house number written as a word ("One World Trade Center"); zero is never a house number.
_NUMBER_WORDS: dict[str, str] = {
    "ONE": "1", "TWO": "2", "THREE": "3", "FOUR": "4", "FIVE": "5", "SIX": "6", "SEVEN": "7",
    "EIGHT": "8", "NINE": "9", "TEN": "10", "ELEVEN": "11", "TWELVE": "12", "THIRTEEN": "13",
    "FOURTEEN": "14", "FIFTEEN": "15", "SIXTEEN": "16", "SEVENTEEN": "17", "EIGHTEEN": "18",
    "NINETEEN": "19", "TWENTY": "20",
}  # fmt: skip
_ORDINAL_WORDS: dict[str, str] = {
    "FIRST": "1ST", "SECOND": "2ND", "THIRD": "3RD", "FOURTH": "4TH", "FIFTH": "5TH",
    "SIXTH": "6TH", "SEVENTH": "7TH", "EIGHTH": "8TH", "NINTH": "9TH", "TENTH": "10TH",
    "ELEVENTH": "11TH", "TWELFTH": "12TH", "THIRTEENTH": "13TH", "FOURTEENTH": "14TH",
    "FIFTEENTH": "15TH", "SIXTEENTH": "16TH", "SEVENTEENTH": "17TH", "EIGHTEENTH": "18TH",
    "NINETEENTH": "19TH", "TWENTIETH": "20TH",
}  # fmt: skip
_HOUSE_NUMBER = re.compile(r"^[A-Z0-9]+(?:[-/][A-Z0-9]+)*$")
_NAME_LABELS = frozenset({"StreetNamePreModifier", "StreetName"})
_TYPE_LABELS = frozenset({"StreetNamePreType", "StreetNamePostType"})
_NOT_ONE_POINT = frozenset({"IntersectionSeparator", "CornerOf"})
_BOX_LABELS = frozenset({"USPSBoxType", "USPSBoxID"})
_DIRECTIONS = frozenset({"N", "S", "E", "W", "NE", "NW", "SE", "SW"})


@lru_cache(maxsize=1 << 16)  # every item is read again at release
def read_street_line(text: str) -> StreetLine | StreetLineRefused:
    """Read a street line as one delivery form, or say why it names no delivery point."""
    found = placeholder_within(text)
    if found is not None or is_placeholder(text, address=True):
        return _placeholder(text, f"holds {found if found is not None else text.strip()!r}")
    line = _cleaned(text)
    for form, pattern in _PATTERNS:
        match = pattern.match(line)
        if match is not None:
            return _checked_form(text, form, match)
    urbanization = _URBANIZATION.match(line)
    if urbanization is not None:
        if is_placeholder(urbanization.group("name"), address=True):
            return _placeholder(text, "names no urbanization")
        line = urbanization.group("rest")
    return _street_address(text, line)


def delivery_key(text: str) -> tuple[str, str]:
    """Return what tells two street lines' delivery points apart: the number and the name.

    Street type, directionals, units and spelling of the name ("Twelfth", "12th") do not count;
    a line that names no delivery point is keyed by its own letters and digits alone.
    """
    line = read_street_line(text)
    if not isinstance(line, StreetLine):
        return re.sub(r"[^0-9A-Z]", "", anyascii(text).upper()), ""
    name = re.sub(r"[^0-9A-Z ]", "", line.name.upper())
    words = [_ORDINAL_WORDS.get(word, _NUMBER_WORDS.get(word, word)) for word in name.split()]
    return line.number, f"{line.form}:{''.join(words)}"


def is_street_line(text: str) -> bool:
    """Tell whether `text` names a delivery point: a street address, a box or a USPS form."""
    return isinstance(read_street_line(text), StreetLine)


def _cleaned(text: str) -> str:
    # Upper case, ASCII; a full stop goes unless it stands between digits (KM 5.3), commas go.
    upper = anyascii(text).upper()
    upper = re.sub(r"(?<![0-9])\.|\.(?![0-9])", " ", upper).replace(",", " ")
    return " ".join(upper.split())


def _checked_form(text: str, form: Form, match: re.Match[str]) -> StreetLine | StreetLineRefused:
    groups = match.groupdict()
    number = groups.get("number") or ""
    route = groups.get("route") or ""
    if form in ("po_box", "rural_route", "highway_contract", "military", "street"):
        for part in (number, route) if form != "street" else (number,):
            if part and not _names_a_number(part):
                return _unparseable(text, f"{part!r} is not a box or route number")
    if form in ("ship", "apartment_building") and is_placeholder(route, address=True):
        return _placeholder(text, "names no ship or building")
    if form == "street" and not _is_street_name(route.partition(" ")[2], typed=True):
        return _placeholder(text, f"puts a house number after {route!r}")
    if form in ("apartment_building", "kilometre") and not _names_a_number(number):
        return _unparseable(text, f"{number!r} is not an apartment or kilometre")
    return StreetLine(form, number, route)


# A secondary unit at the end of a street line (Publication 28, C2): it never names the street.
_TRAILING_UNIT = re.compile(
    r"(?: (?:APT|APARTMENT|BLDG|BUILDING|DEPT|FL|FLOOR|HNGR|LOT|PIER|RM|ROOM|SLIP|SPC|STE|SUITE"
    r"|TRLR|UNIT) ?#? ?[A-Z0-9-]+| # ?[A-Z0-9-]+| (?:BSMT|FRNT|LBBY|LOWR|OFC|PH|REAR|UPPR))+$"
)
# A place after the line keeps the parser from reading "Saint Paul St" as a city and a state.
_PLACE = ("SPRINGFIELD", "IL", "62701")
_PLACE_LABELS = ("PlaceName", "StateName", "ZipCode")
Tokens = list[tuple[str, str]]


def _street_address(text: str, line: str) -> StreetLine | StreetLineRefused:
    words = line.split(" ")
    if len(words) > 1 and words[0] in _NUMBER_WORDS:
        line = " ".join([_NUMBER_WORDS[words[0]], *words[1:]])
    first = _street_from_tokens(text, usaddress.parse(line))
    if isinstance(first, StreetLine) or first.code == "address_placeholder":
        return first
    # The parser is a statistical model: a line it cannot read one way is read again in the
    # ways a person would read it. A placeholder found in any reading refuses the line.
    for tokens in _rereadings(line):
        again = _street_from_tokens(text, tokens)
        if isinstance(again, StreetLine) or again.code == "address_placeholder":
            return again
    return first


def _rereadings(line: str) -> list[Tokens]:
    """The line parsed again: without a trailing unit, with a place after it, with ST as Saint."""
    lines = [line]
    bare = _TRAILING_UNIT.sub("", line)
    if bare != line and len(bare.split(" ")) >= 2:
        lines.append(bare)
    readings: list[Tokens] = []
    for each in lines:
        saint = _saint_after_number(each)
        for variant in (each, saint) if saint is not None else (each,):
            if variant != line:  # the line itself was parsed first
                readings.append(_parsed_as(variant, each))
            readings.append(_parsed_with_place(variant, each))
    return [tokens for tokens in readings if tokens]


def _saint_after_number(line: str) -> str | None:
    """The line with ST after a house number (and a direction) written as SAINT, if it has one."""
    # "100A ST MARKS ST" is Saint Marks Street: the parser reads "100A ST MARKS" as two streets.
    words = line.split(" ")
    at = 2 if len(words) > 2 and words[1] in _DIRECTIONS else 1
    if len(words) < at + 2 or words[at] != "ST" or not words[0][:1].isdigit():
        return None
    return " ".join([*words[:at], "SAINT", *words[at + 1 :]])


def _parsed_as(variant: str, line: str) -> Tokens:
    """Parse `variant` and give its tokens the words of `line` (which it spells word for word)."""
    tokens: Tokens = usaddress.parse(variant)
    words = line.split(" ")
    if len(tokens) != len(words):
        return []
    return [(word, label) for word, (_, label) in zip(words, tokens, strict=True)]


def _parsed_with_place(variant: str, line: str) -> Tokens:
    tokens: Tokens = usaddress.parse(f"{variant}, {' '.join(_PLACE)}")
    words = line.split(" ")
    place = tokens[len(words) :]
    if (
        len(tokens) != len(words) + len(_PLACE)
        or tuple(label for _, label in place) != _PLACE_LABELS
    ):
        return []
    return [(word, label) for word, (_, label) in zip(words, tokens, strict=False)]


def _street_from_tokens(text: str, tokens: Tokens) -> StreetLine | StreetLineRefused:
    labels = {label for _, label in tokens}
    if labels & _NOT_ONE_POINT:
        return _unparseable(text, "an intersection is not a delivery address")
    if not tokens or tokens[0][1] != "AddressNumber":
        return _unparseable(text, "it does not begin with a house number")
    leading = len(tokens) - len(list(dropwhile(lambda t: t[1] == "AddressNumber", tokens)))
    number = "".join(token for token, _ in tokens[:leading])
    name = " ".join(token for token, label in tokens if label in _NAME_LABELS).strip(" ,")
    if not name and labels & _TYPE_LABELS:
        # After a house number and before a street type, "Box Elder" is a street's name, not a box.
        name = " ".join(token for token, label in tokens if label in _BOX_LABELS).strip(" ,")
    # Single letters after the number may spell a word, whatever the parser took them for:
    # "12 N O N E St" is NONE, "1 B.L.A.N.K" is BLANK.
    letters = [token for token, _ in tokens[leading:] if len(token) == 1 and token.isalpha()]
    spelled = "".join(letters) if len(letters) >= 3 else ""
    if name and not _is_street_name(name, typed=bool(labels & _TYPE_LABELS)):
        return _placeholder(text, f"puts a house number before {name!r}")
    if spelled and is_placeholder(spelled, address=True):
        return _placeholder(text, f"spells {spelled!r}")
    if not _HOUSE_NUMBER.match(number) or not _names_a_number(number):
        return _unparseable(text, f"{number!r} is not a house number")
    if not name:
        return _unparseable(text, "it names no street")
    return StreetLine("street", number, name)


def _is_street_name(name: str, *, typed: bool) -> bool:
    compact = re.sub(r"[^0-9A-Z]", "", name)
    if compact.isdigit():
        return _names_a_number(compact)  # numbered roads: "Route 9", "1200 E 300 S"
    if len(compact) == 1 and typed:
        return True  # lettered streets: "B St", and Sacramento's "X St"
    return bool(compact) and not is_placeholder(name, address=True)


def _names_a_number(text: str) -> bool:
    return any(char in "123456789" for char in text)


def _placeholder(text: str, why: str) -> StreetLineRefused:
    return StreetLineRefused("address_placeholder", f"the street line {text!r} {why}")


def _unparseable(text: str, why: str) -> StreetLineRefused:
    return StreetLineRefused(
        "address_street_unparseable",
        f"the street line {text!r} is not a street address or a USPS delivery form: {why}",
    )
