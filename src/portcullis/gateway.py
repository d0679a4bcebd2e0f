"""The open resources of one workspace that every door (CLI, API, demo) hands to the road."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING

import duckdb
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine

from portcullis.keys import load_private_key
from portcullis.ledger import Ledger, load_witnesses
from portcullis.ledger.cosigning import wait_for_exchanges
from portcullis.ledger.integrator import CommitSettings, Integrator
from portcullis.ledger.witness_protocol import Cosigner
from portcullis.master.schema import create_master_tables
from portcullis.matching import Matcher, MatchParams, data_fingerprint, load_current_params
from portcullis.recording import DecisionSource
from portcullis.store.database import create_schema, open_engine
from portcullis.workspace import Workspace

if TYPE_CHECKING:
    from portcullis.matching.spark import SparkMatcher

log = logging.getLogger(__name__)

# How long closing waits for witness exchanges that outlived their bound (seconds).
CLOSE_WAIT_FOR_WITNESSES = 5.0


@dataclass
class Gateway:
    """Connections and keys for one workspace; open with `Gateway.open`, close when done."""

    workspace: Workspace
    engine: Engine
    master_connection: duckdb.DuckDBPyConnection
    ledger: Ledger
    witnesses: list[Cosigner]
    release_key: Ed25519PrivateKey
    tin_hash_key: bytes
    integrator: Integrator
    _local: threading.local = field(default_factory=threading.local, repr=False)
    _cursors: list[duckdb.DuckDBPyConnection] = field(default_factory=list, repr=False)
    _cursors_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open(
        cls,
        workspace: Workspace,
        *,
        read_only_master: bool = False,
        commit: CommitSettings | None = None,
    ) -> Gateway:
        """Open the state database, the master store, the ledger and the keys of `workspace`.

        With `read_only_master`, the master is opened read-only, as many processes may do at once.
        """
        engine = open_engine(workspace.state_url)
        create_schema(engine)
        if read_only_master:
            master = duckdb.connect(str(workspace.master_path), read_only=True)
        else:
            master = duckdb.connect(str(workspace.master_path))
            create_master_tables(master)
        ledger = Ledger(
            engine, load_private_key(workspace.ledger_key_path), workspace.ledger_origin
        )
        witnesses = load_witnesses(engine, workspace)
        tin_hash_key = workspace.tin_hash_key_path.read_bytes()
        source = DecisionSource(engine, tin_hash_key)
        return cls(
            workspace=workspace,
            engine=engine,
            master_connection=master,
            ledger=ledger,
            witnesses=witnesses,
            release_key=load_private_key(workspace.release_key_path),
            tin_hash_key=tin_hash_key,
            integrator=Integrator(
                ledger, witnesses, source, commit, lock_path=workspace.integrator_lock_path
            ),
        )

    @property
    def master(self) -> duckdb.DuckDBPyConnection:
        """Return this thread's cursor on the master store (a DuckDB connection is not shared)."""
        cursor: duckdb.DuckDBPyConnection | None = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self.master_connection.cursor()
            self._local.cursor = cursor
            with self._cursors_lock:
                self._cursors.append(cursor)
        return cursor

    def matcher(self, program: str = "") -> Matcher:
        """Return this thread's matcher on its own master cursor with `program`'s model.

        The model is the newest one learned for `program` that fits the loaded master, else the
        newest base model that does (see `load_current_params`); the matcher is renewed when it
        changes.
        """
        cursor = self.master
        params = load_current_params(
            self.workspace.match_dir, program, fingerprint=data_fingerprint(cursor)
        )
        cached: Matcher | None = getattr(self._local, "matcher", None)
        if cached is None or cached.params != params:
            cached = Matcher.open(cursor, params)
            self._local.matcher = cached
        return cached

    def spark_matcher(self, params: MatchParams) -> SparkMatcher:
        """Return a Spark matcher with `params` over the Spark index of the master as loaded now.

        The session is the active one, else one made from the workspace's `[spark]` settings;
        the index is built (master exported to Parquet) the first time a load is matched there.
        """
        # Imported here: Spark is an optional extra, needed only when a batch goes to Spark.
        from portcullis.matching.spark import (
            SparkMatcher,
            SparkSettings,
            current_spark_index,
            spark_session,
        )

        spark = spark_session(SparkSettings.from_config(self.workspace.spark))
        cursor = self.master.cursor()
        try:
            index_dir = current_spark_index(spark, cursor, self.workspace.spark_index_dir)
        finally:
            cursor.close()
        return SparkMatcher.open(spark, index_dir, params)

    def close(self) -> None:
        """Stop the integrator and release the database connections."""
        self.integrator.stop()
        stalled = wait_for_exchanges(self.engine, CLOSE_WAIT_FOR_WITNESSES)
        if stalled:
            log.warning("closing with witness exchanges still running: %s", ", ".join(stalled))
        with self._cursors_lock:
            for cursor in self._cursors:
                cursor.close()
            self._cursors.clear()
        self.master_connection.close()
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
