"""Recognise values that stand in for missing data (UNKNOWN, N/A, 00000) rather than carry it.

The one definition of placeholder words, read by the request reader (an optional field holding one
is not given), the name and address checks and the release check of an address of record.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

from anyascii import anyascii
from rapidfuzz.distance import OSA

# Compared after dropping everything but letters and digits, so "N/A", "n.a." and "N A" agree.
# Words that are also real surnames (Blank, Test, Na) belong only in the address lists.
_ANYWHERE = frozenset(
    {
        "UNKNOWN", "UNK", "UNKN", "NULL", "TBD", "TBA", "NOTKNOWN", "NOTAVAILABLE",
        "UNAVAILABLE", "NOTGIVEN", "NOTPROVIDED", "NOTAPPLICABLE", "MISSING", "REDACTED",
        "FNU", "LNU", "NMN", "NONAME",
    }
)  # fmt: skip
# Words and phrases that are never part of a real address, wherever they stand in a street line
# or a city ("123 Fake St", "1 Main St Unknown", "Calle Desconocida", "Anytown").
_NEVER_IN_ADDRESS = _ANYWHERE | frozenset(
    {
        "UNKWN", "UNKNW", "UNKNWN", "UKN", "UNKOWN", "NOADDRESS", "NOFIXEDADDRESS", "NOSTREET",
        "ADDRESSUNKNOWN", "UNKNOWNADDRESS", "NOTONFILE", "NOTSTATED", "UNSTATED", "UNSPECIFIED",
        "NOTSPECIFIED", "NONEGIVEN", "NOTSUPPLIED", "NOTLISTED", "NODATA", "NOINFO",
        "NOINFORMATION", "UNDISCLOSED", "WITHHELD", "CONFIDENTIAL", "DECLINED", "REFUSED",
        "PLACEHOLDER", "DUMMY", "FAKE", "ANYTOWN", "ANYCITY", "ANYSTREET", "ANYPLACE",
        "DESCONOCIDO", "DESCONOCIDA", "SINDIRECCION", "NOAPLICA", "NODISPONIBLE", "NOTIENE",
        "UNBEKANNT",
        "ASDF", "ASDFGH", "QWERTY", "QWER", "ZXCV", "LOREM", "IPSUM", "FOOBAR",
    }
)  # fmt: skip
# Long words matched also with one slip ("UNKNWN", "Unkown", "UANVAILABLE"): no real name is so
# close. A slip is one letter dropped, added, changed, or two neighbours swapped.
_SLIPPABLE = frozenset(
    {
        "UNKNOWN", "NOTKNOWN", "UNAVAILABLE", "NOTAVAILABLE", "NOTPROVIDED", "NOTAPPLICABLE",
        "NOTGIVEN", "REDACTED", "PLACEHOLDER", "UNDISCLOSED", "UNSPECIFIED", "DESCONOCIDO",
        "DESCONOCIDA", "NOADDRESS", "SINDIRECCION",
    }
)  # fmt: skip
_ADDRESS_ONLY = frozenset(
    {
        "NA", "NONE", "NIL", "BLANK", "EMPTY", "NOADDRESS", "NOFIXEDADDRESS", "NFA", "HOMELESS",
        "SEEFILE", "SEEABOVE", "SAMEASABOVE", "ASABOVE", "SAME", "ABOVE", "VARIOUS", "ANY",
        "TEST", "ANYWHERE", "SOMEWHERE", "ABC", "ABCD", "XYZ",
    }
)  # fmt: skip
# Words that only label a field: "ADDRESS UNKNOWN" or "UNKNOWN CITY" say nothing more than UNKNOWN.
_LABELS = frozenset(
    {"ADDRESS", "STREET", "CITY", "STATE", "ZIP", "CODE", "ZIPCODE", "AVAILABLE", "NUMBER", "NO"}
)
# X or a digit repeated (X, XXX, 00000, 99999), or any character three times or more (AAA);
# a single letter other than X stays acceptable, since some people have an initial for a name,
# and III stays a name suffix.
_FILLER = re.compile(r"^(?:X+|(\d)\1*|(?!III$)(.)\2{2,})$")
# Filler inside a longer value: XX or more, or one letter four times or more ("Apt XXX", "AAAA").
_FILLER_WORD = re.compile(r"^(?:XX+|([A-Z])\1{3,})$")
# "N/A", "N\A" and "N.A." written with their punctuation are never a street, city or unit.
_NOT_APPLICABLE = re.compile(r"(?<![A-Z0-9])N\s*[/\\]\s*A(?![A-Z0-9])|(?<![A-Z0-9])N\.A\.")
# Digits written for the letters they resemble ("UNKN0WN", "N0NE"), read only in mixed words.
_LOOKALIKES = str.maketrans("013457", "OIEAST")
_LONGEST_PHRASE = 4
_REPEATS = re.compile(r"(.)\1+")


# Values repeat (cities, street names, units), and every item is checked again at release.
_REMEMBERED = 1 << 16


@lru_cache(maxsize=_REMEMBERED)
def is_placeholder(text: str, *, address: bool = False) -> bool:
    """Tell whether `text` stands in for a missing name (or, with `address`, address) value."""
    # Transliterate first: "Đỗ" is a real surname, not an empty string.
    text = anyascii(text)
    compact = re.sub(r"[^0-9A-Za-z]", "", text).upper()
    if not compact or _FILLER.match(compact) or _in(compact, _ANYWHERE):
        return True
    if compact == "NA" and compact != text.strip().upper():
        return True  # "N/A" and "n.a." are never a name, though "Na" is a surname
    if not address:
        return False
    if _in(compact, _ADDRESS_ONLY | _NEVER_IN_ADDRESS):
        return True
    words = _words(text)
    return all(_in(word, _ANYWHERE | _ADDRESS_ONLY | _LABELS) for word in words)


def is_placeholder_designator(text: str) -> bool:
    """Tell whether a unit or a name suffix (Apt 4, 2, III) stands in for none (N/A, 0, XXX)."""
    compact = re.sub(r"[^0-9A-Za-z]", "", anyascii(text))
    if compact.isdigit():
        return set(compact) == {"0"}  # unit 1 or 22 is a unit; 0 and 000 are not
    return is_placeholder(text, address=True) or placeholder_within(text) is not None


@lru_cache(maxsize=_REMEMBERED)
def placeholder_within(text: str) -> str | None:
    """Return the placeholder a street line or city carries anywhere in it, or None.

    Catches the disguises of the 2025 failure: a house number dressed in front of a placeholder
    ("99 UNKNOWN ADDRESS"), spaced or punctuated letters ("U N K N O W N", "U.N.K."), doubled or
    slipped letters ("Unknnown", "Unkown"), look-alike digits ("UNKN0WN") and phrases spelled out
    ("Not Known", "Sin Direccion").
    """
    upper = anyascii(text).upper()
    found = _NOT_APPLICABLE.search(upper)
    if found:
        return found.group(0)
    words = _joined_letters(_words(upper))
    for word in words:
        if _FILLER_WORD.match(word):
            return word
    for size in range(1, _LONGEST_PHRASE + 1):
        for start in range(len(words) - size + 1):
            phrase = words[start : start + size]
            if all(word.isdigit() for word in phrase):
                continue  # a house, box or route number is never a placeholder here
            if _in("".join(phrase), _NEVER_IN_ADDRESS, slips=True):
                return " ".join(phrase)
    return None


def _words(text: str) -> list[str]:
    return re.sub(r"[^0-9A-Za-z]+", " ", text).upper().split()


def _joined_letters(words: list[str]) -> list[str]:
    # Letters standing alone in a row are one word spelled out: "U N K N O W N" is UNKNOWN.
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if len(run) >= 3:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if word:
            out.append(word)
    return out


def _in(compact: str, words: frozenset[str], *, slips: bool = False) -> bool:
    forms = {compact, _single_letters(compact)}
    if not (compact.isalpha() or compact.isdigit()):
        forms |= {compact.translate(_LOOKALIKES), _single_letters(compact.translate(_LOOKALIKES))}
    if forms & _with_single_letters(words):
        return True
    if not slips:
        return False
    return any(
        OSA.distance(form, word, score_cutoff=1) <= 1
        for form in forms
        if len(form) >= 6
        for word in _slippable(words)
    )


@cache
def _with_single_letters(words: frozenset[str]) -> frozenset[str]:
    return words | {_single_letters(word) for word in words}


@cache
def _slippable(words: frozenset[str]) -> frozenset[str]:
    return _SLIPPABLE & words


def _single_letters(compact: str) -> str:
    # "UNNKNOWWN" and "NOONE" are read with each doubled letter once, as is each listed word.
    return _REPEATS.sub(r"\1", compact)


# An optional field holding a placeholder (middle name NMN, unit N/A, TIN 000000000) is not given:
# the test each reader applies to that field's normalised text.
PLACEHOLDER_TESTS: dict[str, Callable[[str], bool]] = {
    "middle_name": is_placeholder,
    "tin": is_placeholder,
    "name_suffix": is_placeholder_designator,
    "unit": is_placeholder_designator,
}
