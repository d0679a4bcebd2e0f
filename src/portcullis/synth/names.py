"""Personal names by origin, written the way each community files them."""

from __future__ import annotations

import random
from functools import cache

from anyascii import anyascii

from portcullis.matching.names import given_token, variant_key
from portcullis.synth.pools import load_names

# How a Hispanic filer writes two surnames: both ("García López"), the paternal only, or hyphenated.
SURNAME_STYLES: tuple[str, ...] = ("both", "paternal", "hyphen")
_STYLE_CUTS: tuple[float, ...] = (0.55, 0.85)


def draw_given(rng: random.Random, origin: str, sex: str) -> str:
    """Return a given name of the origin and sex, common names more often."""
    pools = load_names()[origin]
    return (pools.female if sex == "F" else pools.male).draw(rng)


def two_spellings(first: str, other: str) -> bool:
    """Tell whether two given names are different spellings of one name (Layla and Leila).

    The matcher's transliteration groups are the one definition of "one name".
    """
    a, b = given_token(first), given_token(other)
    key = variant_key(a) if a else None
    return key is not None and b is not None and a != b and variant_key(b) == key


def other_spellings(first: str, origin: str, sex: str) -> tuple[str, ...]:
    """Return the origin's given names that spell the same name as `first` another way."""
    pools = load_names()[origin]
    pool = pools.female if sex == "F" else pools.male
    return tuple(name for name in pool.items if two_spellings(first, name))


def draw_middle(rng: random.Random, origin: str, sex: str) -> str | None:
    """Return a middle name, an initial, or None, in the proportions the origin uses them."""
    pools = load_names()[origin]
    pool = pools.middle_female if sex == "F" else pools.middle_male
    share = {"anglo": 0.75, "vietnamese": 0.8, "hispanic": 0.35}.get(origin, 0.35)
    if pool is None or rng.random() >= share:
        return None
    middle = pool.draw(rng)
    # Many returns carry only the initial of the middle name.
    if origin in ("anglo", "hispanic", "haitian") and rng.random() < 0.3:
        return strip_accents(middle.split()[-1][0])
    return middle


def draw_first(rng: random.Random, origin: str, sex: str) -> tuple[str, str | None]:
    """Return a first name and a middle name, joining a compound given name when customary."""
    first = draw_given(rng, origin, sex)
    middle = draw_middle(rng, origin, sex)
    # "María Guadalupe" or "Jean Robert" is often written whole in the first-name box.
    if (
        origin in ("hispanic", "haitian")
        and middle is not None
        and len(middle) > 1
        and "-" not in first
        and not middle.startswith(("de ", "del "))
        and rng.random() < 0.5
    ):
        return f"{first} {middle}", None
    return first, middle


def draw_surname(rng: random.Random, origin: str) -> str:
    """Return one family name of the origin."""
    return load_names()[origin].surnames.draw(rng)


def draw_style(rng: random.Random) -> str:
    """Return how a Hispanic filer writes two surnames."""
    roll = rng.random()
    return SURNAME_STYLES[sum(roll >= cut for cut in _STYLE_CUTS)]


def compose_last(paternal: str, maternal: str | None, style: str) -> str:
    """Return the family name as filed from its paternal and maternal parts."""
    if maternal is None or style == "paternal":
        return paternal
    if style == "hyphen":
        return f"{paternal}-{maternal}"
    return f"{paternal} {maternal}"


@cache
def strip_accents(text: str) -> str:
    """Return the text with accents and other diacritics removed (García to Garcia, Đức to Duc)."""
    return anyascii(text) if not text.isascii() else text


def has_accents(text: str | None) -> bool:
    """Tell whether a name carries characters outside ASCII."""
    return text is not None and not text.isascii()
