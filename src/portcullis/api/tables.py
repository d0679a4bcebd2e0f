"""Tables the API keeps: the access log, who submitted each request, pending program changes."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Float, Integer, String, Table, Text

from portcullis.store.metadata import metadata

# Every HTTP request, answered or refused: who, what, when, and the status it got; each row
# carries the hash of the one before, so a changed or deleted row breaks the chain.
access_log = Table(
    "access_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("principal", String(200)),
    Column("client", String(200)),
    Column("method", String(10), nullable=False),
    Column("path", String(1000), nullable=False),
    Column("status", Integer, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("row_hash", String(64), nullable=False),
)

# One row whose update every access-log writer makes first: it takes the database's lock (SQLite's
# write lock, PostgreSQL's row lock), so writers in several processes chain one after another.
access_log_head = Table(
    "access_log_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("rows", Integer, nullable=False),
)

# The account that submitted each request, so that it can never review its own items.
submitters = Table(
    "api_submitters",
    metadata,
    Column("request_id", String(200), primary_key=True),
    Column("account", String(200), nullable=False),
    Column("agency", String(200)),
)

# A program change proposed by one admin, applied only when a second admin confirms it.
program_proposals = Table(
    "program_proposals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("program_id", String(200), nullable=False),
    Column("changes", JSON, nullable=False),
    Column("why", Text, nullable=False),
    Column("proposed_by", String(200), nullable=False),
    Column("proposed_at", DateTime(timezone=True), nullable=False),
    Column("state", String(10), nullable=False),  # pending | applied | withdrawn
    Column("confirmed_by", String(200)),
    Column("settled_at", DateTime(timezone=True)),
    Column("version", Integer),
)

# Each client's rate-limit bucket, shared by every API process on the state store: the tokens left
# and the wall-clock second (UTC epoch) they were counted at.
rate_buckets = Table(
    "rate_buckets",
    metadata,
    Column("client", String(300), primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("at", Float, nullable=False),
)
