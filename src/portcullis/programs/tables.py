"""State tables for programs: every version kept whole, and every change with who, when and why."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Table, Text

from portcullis.store.metadata import metadata

program_versions = Table(
    "program_versions",
    metadata,
    Column("program_id", String(64), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("document", Text, nullable=False),  # the validated program as JSON
    Column("created_at", DateTime(timezone=True), nullable=False),
)

program_changes = Table(
    "program_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("program_id", String(64), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("why", Text, nullable=False),
    Column("what", Text, nullable=False),  # JSON: dotted key -> [before, after]
)
