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
        profile.fn_variant,
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


def query_row(profile: Profile, years: frozenset[int], qid: int = 0) -> dict[str, Any]:
    """Return one query as a row of the query relation, by QUERY_SCHEMA name."""
    values = [qid, profile.tin, *identity_values(profile), *address_values(profile), sorted(years)]
    return dict(zip(QUERY_SCHEMA.names, values, strict=True))


def query_table(profiles: Sequence[Profile], scopes: Sequence[frozenset[int]]) -> pa.Table:
    """Return the query relation, numbering queries by position."""
    rows = [
        query_row(profile, years, qid)
        for qid, (profile, years) in enumerate(zip(profiles, scopes, strict=True))
    ]
    return pa.Table.from_pylist(rows, schema=QUERY_SCHEMA)
