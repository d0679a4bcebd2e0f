"""The Alembic migrations build exactly the schema the code defines, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
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


def _value(column: sa.Column[object]) -> object:
    # One plain value of the column's type; every key column takes the same value, so a foreign
    # key names the row its parent table was given.
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Float):
        return 0.5
    if isinstance(kind, sa.Integer | sa.Numeric):
        return 1
    if isinstance(kind, sa.DateTime):
        return dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    if isinstance(kind, sa.Date):
        return dt.date(2026, 1, 2)
    if isinstance(kind, sa.LargeBinary):
        return b"\x01" * 32
    if isinstance(kind, sa.JSON):
        return {"kept": True}
    length = getattr(kind, "length", None)
    return "1" if length is not None and length < 8 else "kept-1"


def test_rows_stored_under_the_first_revision_are_all_there_at_head(empty_url: str) -> None:
    migrate_database(empty_url, "0001")
    engine = open_engine(empty_url)
    try:
        first = sa.MetaData()
        first.reflect(engine)
        tables = [t for t in first.sorted_tables if t.name != "alembic_version"]
        assert len(tables) > 10
        stored: dict[str, dict[str, object]] = {}
        with engine.begin() as con:
            for table in tables:
                row = {column.name: _value(column) for column in table.columns}
                con.execute(table.insert().values(**row))
                stored[table.name] = dict(con.execute(sa.select(table)).one()._mapping)
        migrate_database(empty_url)
        assert schema_drift(empty_url) == []
        head = sa.MetaData()
        head.reflect(engine)
        with engine.connect() as con:
            for name, before in stored.items():
                [after] = con.execute(sa.select(head.tables[name])).all()
                kept = {key: after._mapping[key] for key in before}
                assert kept == before, name
    finally:
        engine.dispose()
