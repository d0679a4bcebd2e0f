"""The compared form of a person: normalised name parts, date of birth, TIN and address."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from portcullis.matching.address import StandardAddress, standardise_address
from portcullis.matching.names import (
    given_forms,
    given_token,
    sound_code,
    suffix_code,
    surname_key,
    surname_tokens,
    surname_variant,
    variant_key,
)


@dataclass(frozen=True, slots=True)
class Profile:
    """A person reduced to the values the comparisons read, identical for taxpayers and queries."""

    fn: str | None
    fn_forms: tuple[str, ...]
    fn_sound: str | None
    fn_variant: str | None
    mn: str | None
    ln: str | None
    ln_tokens: tuple[str, ...]
    ln_sound: str | None
    ln_variant: str | None
    sfx: str | None
    dob: dt.date | None
    tin: str | None
    address: StandardAddress


def build_profile(
    *,
    first_name: str | None,
    middle_name: str | None,
    last_name: str | None,
    name_suffix: str | None,
    date_of_birth: dt.date | None,
    tin: str | None,
    street: str | None,
    unit: str | None,
    city: str | None,
    state: str | None,
    zip_code: str | None,
) -> Profile:
    """Return the normalised profile of one person as named in a return or a request."""
    first, forms, first_sound, first_variant = given_parts(first_name)
    last, tokens, last_sound, variant = surname_parts(last_name)
    digits = "".join(ch for ch in (tin or "") if ch.isdigit())
    return Profile(
        fn=first,
        fn_forms=forms,
        fn_sound=first_sound,
        fn_variant=first_variant,
        mn=middle_part(middle_name),
        ln=last,
        ln_tokens=tokens,
        ln_sound=last_sound,
        ln_variant=variant,
        sfx=suffix_code(name_suffix),
        dob=date_of_birth,
        tin=digits if len(digits) == 9 else None,
        address=standardise_address(street, unit, city, state, zip_code),
    )


# Names repeat across millions of rows: each distinct spelling is normalised once.
@lru_cache(maxsize=1 << 18)
def given_parts(
    raw: str | None,
) -> tuple[str | None, tuple[str, ...], str | None, str | None]:
    """Return the given name's first token, its nickname forms, its sound code and variant key."""
    first = given_token(raw)
    return first, given_forms(first), sound_code(first), variant_key(first) if first else None


@lru_cache(maxsize=1 << 18)
def surname_parts(
    raw: str | None,
) -> tuple[str | None, tuple[str, ...], str | None, str | None]:
    """Return the surname's joined key, its tokens, its sound code and its variant key."""
    last = surname_key(raw)
    return last, tuple(surname_tokens(raw)), sound_code(last), surname_variant(raw)


@lru_cache(maxsize=1 << 16)
def middle_part(raw: str | None) -> str | None:
    """Return the middle name's first token, or None when nothing is left after cleaning."""
    return given_token(raw)
