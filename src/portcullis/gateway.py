"""The open resources of one workspace that every door (CLI, API, demo) hands to the road."""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType

import duckdb
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine

from portcullis.keys import load_private_key
from portcullis.ledger import Ledger, Witness, load_witnesses
from portcullis.master.schema import create_master_tables
from portcullis.store.database import create_schema, open_engine
from portcullis.workspace import Workspace


@dataclass
class Gateway:
    """Connections and keys for one workspace; open with `Gateway.open`, close when done."""

    workspace: Workspace
    engine: Engine
    master: duckdb.DuckDBPyConnection
    ledger: Ledger
    witnesses: list[Witness]
    release_key: Ed25519PrivateKey
    tin_hash_key: bytes

    @classmethod
    def open(cls, workspace: Workspace) -> Gateway:
        """Open the state database, the master store, the ledger and the keys of `workspace`."""
        engine = open_engine(workspace.state_url)
        create_schema(engine)
        master = duckdb.connect(str(workspace.master_path))
        create_master_tables(master)
        ledger = Ledger(
            engine, load_private_key(workspace.ledger_key_path), workspace.ledger_origin
        )
        return cls(
            workspace=workspace,
            engine=engine,
            master=master,
            ledger=ledger,
            witnesses=load_witnesses(engine, workspace.keys_dir),
            release_key=load_private_key(workspace.release_key_path),
            tin_hash_key=workspace.tin_hash_key_path.read_bytes(),
        )

    def close(self) -> None:
        """Release the database connections."""
        self.master.close()
        self.engine.dispose()

    def __enter__(self) -> Gateway:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
