"""State table for the 6103(i)(6) exclusion list: taxpayers whose address is never disclosed."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, String, Table, Text

from portcullis.store.metadata import metadata

check_exclusions = Table(
    "check_exclusions",
    metadata,
    Column("tin", String(9), primary_key=True),
    Column("category", String(32), nullable=False),  # informant | tax_investigation
    Column("added_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("why", Text, nullable=False),
)
