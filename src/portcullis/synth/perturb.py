"""Realistic errors a requester's records carry: typos, nicknames, transliterations, DOB slips."""

from __future__ import annotations

import datetime as dt
import random
import string

from portcullis.synth.names import strip_accents
from portcullis.synth.pools import load_variants

# Neighbouring keys, so a substituted letter is the one a hurried clerk would hit.
_KEYBOARD = {
    "a": "qsz", "b": "vgn", "c": "xdv", "d": "sfe", "e": "wrd", "f": "dgr", "g": "fht",
    "h": "gjy", "i": "uok", "j": "hku", "k": "jli", "l": "kop", "m": "nj", "n": "bmh",
    "o": "ipl", "p": "ol", "q": "wa", "r": "etf", "s": "adw", "t": "ryg", "u": "yij",
    "v": "cbf", "w": "qes", "x": "zcs", "y": "tuh", "z": "xa",
}  # fmt: skip


def add_typo(rng: random.Random, text: str) -> str:
    """Return the text with one keyboard slip: a substitution, deletion, transposition or double."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 3:
        return text + text[-1].lower() if text else text
    for _ in range(8):
        pos = letters[rng.randrange(1, len(letters))]
        op = rng.randrange(4)
        if op == 0:
            lower = text[pos].lower()
            near = _KEYBOARD.get(strip_accents(lower), string.ascii_lowercase)
            swap = near[rng.randrange(len(near))]
            out = text[:pos] + (swap.upper() if text[pos].isupper() else swap) + text[pos + 1 :]
        elif op == 1:
            out = text[:pos] + text[pos + 1 :]
        elif op == 2 and pos + 1 < len(text) and text[pos + 1].isalpha():
            # Swap with the next letter, never the capital: "Rigoberto" becomes "Rgioberto".
            out = text[:pos] + text[pos + 1] + text[pos] + text[pos + 2 :]
        elif op == 3:
            out = text[:pos] + text[pos] + text[pos:]
        else:
            continue
        if out != text:
            return out
    return text + "e"


def _first_token(name: str) -> str:
    return name.split(" ")[0]


def _lookup(table: str, name: str) -> tuple[str, ...]:
    variants = load_variants()[table]
    token = _first_token(name)
    if token in variants:
        return variants[token]
    folded = {strip_accents(key): value for key, value in variants.items()}
    return folded.get(strip_accents(token), ())


def nickname_keys() -> tuple[str, ...]:
    """Return every given name with a known nickname, accented and plain."""
    keys = load_variants()["nicknames"]
    return tuple(sorted({*keys, *(strip_accents(k) for k in keys)}))


def transliteration_keys() -> tuple[str, ...]:
    """Return every name with a known alternative romanisation, accented and plain."""
    keys = load_variants()["transliterations"]
    return tuple(sorted({*keys, *(strip_accents(k) for k in keys)}))


def use_nickname(rng: random.Random, first: str) -> str | None:
    """Return the first name with its leading given name replaced by a nickname, if one is known."""
    options = _lookup("nicknames", first)
    if not options:
        return None
    rest = first.split(" ")[1:]
    return " ".join([options[rng.randrange(len(options))], *rest])


def transliterate(rng: random.Random, name: str) -> str | None:
    """Return the name romanised another common way (Muhammad to Mohammed), if one is known."""
    options = _lookup("transliterations", name)
    if not options:
        return None
    rest = name.split(" ")[1:]
    return " ".join([options[rng.randrange(len(options))], *rest])


def drop_maternal(last: str, maternal: str) -> str:
    """Return a compound family name without its maternal part ("García López" to "García")."""
    for joiner in (" ", "-"):
        if last.endswith(joiner + maternal):
            return last[: -len(maternal) - 1]
    return last


def swap_day_month(dob: dt.date) -> dt.date | None:
    """Return the date with day and month exchanged, or None when that is not a different date."""
    if dob.day > 12 or dob.day == dob.month:
        return None
    return dob.replace(month=dob.day, day=dob.month)


def shift_year(rng: random.Random, dob: dt.date) -> dt.date:
    """Return the date one year earlier or later (28 February standing in for 29 February)."""
    year = dob.year + (1 if rng.random() < 0.5 else -1)
    day = 28 if (dob.month, dob.day) == (2, 29) else dob.day
    return dob.replace(year=year, day=day)
