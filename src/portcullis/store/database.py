"""Open the state database (SQLite embedded by default, PostgreSQL when configured)."""

from __future__ import annotations

import importlib

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from portcullis.store.metadata import metadata
from portcullis.store.tallies import install_tallies
from portcullis.store.taxpayer_tallies import install_taxpayer_tallies

# Modules that define tables on the shared metadata; importing them registers the tables.
TABLE_MODULES: tuple[str, ...] = (
    "portcullis.store.tables",
    "portcullis.store.tallies",
    "portcullis.store.search_indexes",
    "portcullis.store.taxpayer_tallies",
    "portcullis.programs.tables",
    "portcullis.ledger.tables",
    "portcullis.checks.tables",
    "portcullis.auth.tables",
    "portcullis.jobs_tables",
    "portcullis.aftercare.tables",
    "portcullis.keyring",
)


SQLITE_MMAP_BYTES = 1 << 30


def open_engine(url: str) -> Engine:
    """Create an engine for `url`; SQLite gets WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True)


def _configure_sqlite(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Reads go through the operating system's page cache instead of copies into SQLite's small
    # cache: a page that looks up 100,000 held items by key reads them at memory speed.
    cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.close()


def create_schema(engine: Engine) -> None:
    """Create every table that does not exist yet."""
    for name in TABLE_MODULES:
        importlib.import_module(name)
    metadata.create_all(engine)
    with engine.begin() as con:
        install_tallies(con)
        install_taxpayer_tallies(con)


def dedicated_schema_url(url: str, schema: str) -> str:
    """For PostgreSQL, create `schema` and return a URL whose connections use it; others unchanged.

    One database can then hold many workspaces (and test runs) side by side without touching.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return url
    engine = open_engine(url)
    try:
        with engine.begin() as con:
            con.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    finally:
        engine.dispose()
    query = dict(parsed.query)
    query["options"] = f"-csearch_path={schema}"
    return parsed.set(query=query).render_as_string(hide_password=False)


def drop_dedicated_schema(url: str) -> None:
    """Drop the PostgreSQL schema a `dedicated_schema_url` URL selects (for tests and teardown)."""
    parsed = make_url(url)
    options = str(parsed.query.get("options", ""))
    if parsed.get_backend_name() != "postgresql" or "search_path=" not in options:
        return
    schema = options.split("search_path=", 1)[1].split()[0]
    engine = open_engine(parsed.difference_update_query(["options"]).render_as_string(False))
    try:
        with engine.begin() as con:
            con.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        engine.dispose()
