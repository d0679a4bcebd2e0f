"""Alembic environment: the gateway's one metadata, on the connection or URL it is handed."""

from __future__ import annotations

import importlib

from alembic import context
from sqlalchemy import Connection

from portcullis.store.database import TABLE_MODULES, open_engine
from portcullis.store.metadata import metadata

# The API's tables live outside TABLE_MODULES (they are made when the API starts), so add them.
for name in (*TABLE_MODULES, "portcullis.api.tables"):
    importlib.import_module(name)


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    """Run the migrations on the connection given by migrate_database, or on the ini's URL."""
    given = context.config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    engine = open_engine(context.config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


run()
