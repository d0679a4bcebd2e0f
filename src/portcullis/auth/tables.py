"""Accounts: IRS staff and auditors as users, requesting agencies as service accounts."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, String, Table, Text

from portcullis.store.metadata import metadata

accounts = Table(
    "accounts",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("kind", String(10), nullable=False),  # "user" or "service"
    Column("secret_hash", Text, nullable=False),  # argon2id of the password or client secret
    Column("roles", Text, nullable=False),  # ";"-separated
    Column("agency", String(200)),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
