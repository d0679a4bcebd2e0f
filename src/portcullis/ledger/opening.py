"""Open the ledger of a workspace: its state database, signing key and origin."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from portcullis.keys import load_private_key
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.tables import create_ledger_tables
from portcullis.store.database import open_engine
from portcullis.workspace import Workspace


@contextmanager
def open_ledger(workspace: Workspace) -> Iterator[Ledger]:
    """Yield the workspace's ledger, creating its tables on first use; close the database after."""
    engine = open_engine(workspace.state_url)
    try:
        create_ledger_tables(engine)
        yield Ledger(engine, load_private_key(workspace.ledger_key_path), workspace.ledger_origin)
    finally:
        engine.dispose()
