"""Retired signing keys, kept public with the period in which each was valid.

A rotated key's private half is destroyed; its public half stays here so that every checkpoint,
receipt and package it signed still verifies, and nothing it signs after retirement does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import BigInteger, Column, Connection, DateTime, String, Table, inspect, select

from portcullis.moments import as_utc
from portcullis.store.metadata import metadata

Role = Literal["ledger", "release"]

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("role", String(20), primary_key=True),
    Column("public_key", String(64), primary_key=True),
    Column("valid_from", DateTime(timezone=True)),
    Column("valid_until", DateTime(timezone=True), nullable=False),
    # For the ledger key: the checkpoint sizes it signed, first_size <= size <= last_size.
    Column("first_size", BigInteger),
    Column("last_size", BigInteger),
    Column("retired_by", String(200), nullable=False),
    Column("reason", String(1000), nullable=False),
)


@dataclass(frozen=True, slots=True)
class RetiredKey:
    """A key no longer used to sign: its public half and when, or over which sizes, it was valid."""

    role: Role
    public_key: str
    valid_from: dt.datetime | None
    valid_until: dt.datetime
    first_size: int
    last_size: int | None

    def covers_size(self, size: int) -> bool:
        """Tell whether this (ledger) key was the one to sign a checkpoint at `size`."""
        return self.last_size is not None and self.first_size <= size <= self.last_size

    def covers_moment(self, moment: dt.datetime) -> bool:
        """Tell whether this (release) key was in force at `moment`."""
        after_start = self.valid_from is None or as_utc(self.valid_from) <= as_utc(moment)
        return after_start and as_utc(moment) <= as_utc(self.valid_until)


def retired_keys(conn: Connection, role: Role) -> list[RetiredKey]:
    """Return the retired keys of `role`, oldest first (none in a store that never rotated)."""
    if not inspect(conn).has_table(signing_keys.name):
        return []
    query = (
        select(signing_keys)
        .where(signing_keys.c.role == role)
        .order_by(signing_keys.c.valid_until, signing_keys.c.last_size)
    )
    return [
        RetiredKey(
            role,
            row.public_key,
            None if row.valid_from is None else as_utc(row.valid_from),
            as_utc(row.valid_until),
            int(row.first_size or 0),
            None if row.last_size is None else int(row.last_size),
        )
        for row in conn.execute(query)
    ]


def retire_key(conn: Connection, key: RetiredKey, *, by: str, reason: str) -> None:
    """Record `key` as retired, inside the caller's transaction."""
    conn.execute(
        signing_keys.insert().values(
            role=key.role,
            public_key=key.public_key,
            valid_from=key.valid_from,
            valid_until=key.valid_until,
            first_size=key.first_size,
            last_size=key.last_size,
            retired_by=by,
            reason=reason,
        )
    )
