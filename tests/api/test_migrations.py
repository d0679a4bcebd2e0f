"""The Alembic migrations build exactly the schema the code defines, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib
import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from portcullis.store.database import (
    TABLE_MODULES,
    create_schema,
    dedicated_schema_url,
    drop_dedicated_schema,
    open_engine,
)
from portcullis.store.metadata import metadata
from portcullis.store.migrations import alembic_config, migrate_database


@pytest.fixture
def empty_url(state_url: str) -> Iterator[str]:
    """An empty state database (its own schema on PostgreSQL)."""
    url = dedicated_schema_url(state_url, f"mig_{secrets.token_hex(4)}")
    yield url
    drop_dedicated_schema(url)


def schema_drift(url: str) -> list[object]:
    for name in (*TABLE_MODULES, "portcullis.api.tables"):
        importlib.import_module(name)
    engine = open_engine(url)
    try:
        with engine.connect() as con:
            return list(compare_metadata(MigrationContext.configure(con), metadata))
    finally:
        engine.dispose()


def test_migrating_an_empty_database_builds_the_current_schema(empty_url: str) -> None:
    migrate_database(empty_url)
    # A table added to the code needs a migration of its own: see docs/api.md, "State store".
    assert schema_drift(empty_url) == []


def test_migrating_twice_changes_nothing_and_create_schema_still_works(empty_url: str) -> None:
    migrate_database(empty_url)
    migrate_database(empty_url)
    engine = open_engine(empty_url)
    try:
        create_schema(engine)
        with engine.connect() as con:
            version = con.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        engine.dispose()
    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_a_database_at_the_first_revision_is_brought_to_the_current_schema(empty_url: str) -> None:
    migrate_database(empty_url, "0001")
    migrate_database(empty_url)
    assert schema_drift(empty_url) == []
