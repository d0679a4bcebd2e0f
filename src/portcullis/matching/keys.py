"""Blocking keys: several per person, so that a true match survives any one corrupted field.

One specification drives both sides: SQL derives the keys of every taxpayer when the index is
built, Python derives the keys of each query; both hash the same text with MD5, so the two agree
by construction (a test checks it).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from portcullis.matching.dialect import DUCKDB, Dialect
from portcullis.matching.profile import Profile

# Keys shared by more taxpayers than this are dropped from the index: such a key would only
# bring noise, and the other keys of a true match still find it.
KEY_CAP = 1000
# Given name and surname alone is the widest key: in a national master a common name pair is
# shared by hundreds, and every one of them would be scored for each query. It is only needed
# when two fields are off at once (birth date and ZIP), so it is capped lower; a person with a
# common name and one wrong field is still found by the keys that include that field's peers.
KIND_CAPS: dict[str, int] = {"FL": 100}


def key_cap(kind: str) -> int:
    """Return the most taxpayers a key of `kind` may be shared by and stay in the index."""
    return KIND_CAPS.get(kind, KEY_CAP)


# kind -> the values that make the key, all of which must be present
KEY_KINDS: dict[str, tuple[str, ...]] = {
    "LD": ("tok", "dob"),
    "FD": ("fn", "dob"),
    "FL": ("fn", "tok"),
    "FLZ": ("fn", "tok", "zip5"),
    "LHZ": ("tok", "house", "zip5"),
    "DZ": ("dob", "zip5"),
}


def keys_sql(relation: str, owner: str, d: Dialect = DUCKDB) -> str:
    """Return SQL listing distinct (owner, key_hash, cap) for every row of `relation`.

    `relation` has the normalised columns fn, ln_tokens, dob, house and zip5.
    """
    selects = []
    for kind, needed in KEY_KINDS.items():
        present = " AND ".join(f"{column} IS NOT NULL" for column in needed)
        parts = ", ".join(d.text(column) for column in needed)
        hashed = d.key_hash(f"concat_ws('|', '{kind}', {parts})")
        selects.append(
            f"SELECT owner, {hashed} AS key_hash, {key_cap(kind)} AS cap FROM src WHERE {present}"
        )
    union = "\nUNION ALL ".join(selects)
    return f"""WITH src AS (
    SELECT {owner} AS owner, fn, dob, house, zip5, {d.tokens_or_null("ln_tokens")} AS tok
    FROM {relation})
SELECT DISTINCT owner, key_hash, cap FROM ({union})"""


def query_keys(profile: Profile) -> dict[int, str]:
    """Return the key hashes of a query (names also swapped) with the kind of each."""
    keys: dict[int, str] = {}
    swapped = replace(
        profile,
        fn=profile.ln_tokens[0] if profile.ln_tokens else None,
        ln_tokens=(profile.fn,) if profile.fn else (),
    )
    for person in (profile, swapped):
        values: dict[str, str | None] = {
            "fn": person.fn,
            "dob": person.dob.isoformat() if person.dob else None,
            "house": profile.address.house,
            "zip5": profile.address.zip5,
        }
        for token in person.ln_tokens or (None,):
            values["tok"] = token
            for kind, needed in KEY_KINDS.items():
                parts = [values[name] for name in needed]
                if all(parts):
                    keys.setdefault(key_hash("|".join([kind, *parts])), kind)  # type: ignore[list-item]
    return keys


def key_hash(text: str) -> int:
    """Return the 64-bit number DuckDB's md5_number_lower gives for `text` (digest bytes 8-15)."""
    return int.from_bytes(hashlib.md5(text.encode("utf-8")).digest()[8:], "little")


def spark_key(hashed: int) -> int:
    """Return a key as Spark holds it: the same 64 bits read as a signed BIGINT."""
    return hashed - (1 << 64) if hashed >= 1 << 63 else hashed
