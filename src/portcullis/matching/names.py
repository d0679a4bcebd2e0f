"""Name normalisation: transliteration, case, punctuation, compound surnames, nicknames, sounds."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import jellyfish
from anyascii import anyascii
from nicknames import NickNamer

# Particles carry no identity: "de la Cruz" and "Cruz" name the same family.
_PARTICLES = frozenset(
    {
        "de",
        "del",
        "la",
        "las",
        "los",
        "y",
        "e",
        "da",
        "das",
        "do",
        "dos",
        "di",
        "van",
        "von",
        "der",
        "den",
        "al",
        "el",
        "bin",
        "ibn",
        "st",
    }
)
_SUFFIXES = {
    "jr": "JR",
    "junior": "JR",
    "sr": "SR",
    "senior": "SR",
    "ii": "II",
    "2nd": "II",
    "iii": "III",
    "3rd": "III",
    "iv": "IV",
    "4th": "IV",
    "v": "V",
    "5th": "V",
}
_NOT_LETTER = re.compile(r"[^a-z0-9 ]+")
_APOSTROPHE = re.compile(r"['`\u2019]")
_NICKNAMER = NickNamer()


def clean_text(value: str | None) -> str:
    """Return `value` transliterated to ASCII, lower-cased, with punctuation turned to spaces."""
    if not value:
        return ""
    text = _APOSTROPHE.sub("", anyascii(value).lower())
    return " ".join(_NOT_LETTER.sub(" ", text).split())


def given_token(value: str | None) -> str | None:
    """Return the first name of a given name, or None when nothing is left after cleaning.

    A hyphenated name is one name, joined: Jean-Robert and Jean-Claude are brothers, not two
    spellings of Jean (a query naming only "Jean" then compares as fuzzy, never as exact).
    """
    for word in (value or "").split():
        joined = "".join(clean_text(word).split())
        if joined:
            return joined
    return None


def surname_tokens(value: str | None) -> list[str]:
    """Return the identity-bearing tokens of a surname, particles dropped, in order."""
    tokens = clean_text(value).split()
    kept = [token for token in tokens if token not in _PARTICLES]
    return kept or tokens


def surname_key(value: str | None) -> str | None:
    """Return the surname's tokens joined without spaces (so "Al-Sayed" equals "Alsayed")."""
    joined = "".join(surname_tokens(value))
    return joined or None


def suffix_code(value: str | None) -> str | None:
    """Return the generational suffix as JR, SR, II, III, IV or V, or None when absent."""
    return _SUFFIXES.get(clean_text(value).replace(" ", ""))


def sound_code(token: str | None) -> str | None:
    """Return the Metaphone code of a token, the phonetic evidence for transliteration variants."""
    if not token:
        return None
    return jellyfish.metaphone(token) or None


@lru_cache(maxsize=65536)
def given_forms(token: str | None) -> tuple[str, ...]:
    """Return the given name with every formal name it may be a nickname of, sorted."""
    if not token:
        return ()
    forms = {token} | set(_NICKNAMER.canonicals_of(token)) | set(_extra_nicknames().get(token, ()))
    variant = variant_key(token)
    if variant:
        forms.add(variant)
    return tuple(sorted(forms))


def variant_key(token: str) -> str | None:
    """Return the key of the transliteration group a name spelling belongs to, if any."""
    return _variant_groups().get(token)


def surname_variant(value: str | None) -> str | None:
    """Return the surname with each token replaced by its transliteration group key."""
    joined = "".join(variant_key(token) or token for token in surname_tokens(value))
    return joined or None


@lru_cache(maxsize=1)
def _variant_groups() -> dict[str, str]:
    text = resources.files("portcullis.matching").joinpath("name_variants.txt").read_text("utf-8")
    groups: dict[str, str] = {}
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        for word in words:
            groups.setdefault(word, words[0])
    return groups


@lru_cache(maxsize=1)
def _extra_nicknames() -> dict[str, tuple[str, ...]]:
    # The nicknames package is English-centred; Hispanic hypocorisms are kept in our own list.
    text = resources.files("portcullis.matching").joinpath("nicknames_extra.txt").read_text("utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2:
            table[words[0]] = tuple(words[1:])
    return table
