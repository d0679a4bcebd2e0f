"""Conversion of profiles to Arrow rows for the index and the query relation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from portcullis.matching.profile import Profile
from portcullis.matching.tables import QUERY_SCHEMA


def identity_values(profile: Profile) -> list[Any]:
    """Return the identity columns of a profile in IDENTITY_FIELDS order."""
    return [
        profile.fn,
        list(profile.fn_forms),
        profile.fn_sound,
        profile.mn,
        profile.ln,
        list(profile.ln_tokens),
        profile.ln_sound,
        profile.ln_variant,
        profile.sfx,
        profile.dob,
    ]


def address_values(profile: Profile) -> list[Any]:
    """Return the address columns of a profile in ADDRESS_FIELDS order."""
    a = profile.address
    return [a.house, a.street_name, a.unit, a.city, a.state, a.zip5]


def query_table(profiles: Sequence[Profile], scopes: Sequence[frozenset[int]]) -> pa.Table:
    """Return the query relation, numbering queries by position."""
    columns: list[list[Any]] = [[] for _ in QUERY_SCHEMA]
    for qid, (profile, years) in enumerate(zip(profiles, scopes, strict=True)):
        row = [qid, profile.tin, *identity_values(profile), *address_values(profile), sorted(years)]
        for column, value in zip(columns, row, strict=True):
            column.append(value)
    return pa.Table.from_arrays(
        [pa.array(c, type=f.type) for c, f in zip(columns, QUERY_SCHEMA, strict=True)],
        schema=QUERY_SCHEMA,
    )
