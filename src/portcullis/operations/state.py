"""Dump the state database as JSON Lines from one consistent snapshot, and load a dump back.

One road for both backends: a PostgreSQL store is read inside one REPEATABLE READ, READ ONLY
transaction; an SQLite store is first copied by SQLite's online backup API (which copies a
consistent snapshot while writers carry on) and the copy is read the same way. The rows are read
through SQLAlchemy (no pg_dump), so a dump restores into either backend.
"""

from __future__ import annotations

import importlib
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    String,
    Table,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import make_url

from portcullis.errors import PortcullisError
from portcullis.ledger.tables import ledger_head
from portcullis.operations.rows import decode_row, encode_row
from portcullis.store.database import TABLE_MODULES, create_schema, open_engine
from portcullis.store.metadata import metadata

STATE_DIR = "state"
_BATCH = 2000
# Alembic's own bookkeeping table: not on the gateway's metadata, but part of the store.
_ALEMBIC = Table("alembic_version", MetaData(), Column("version_num", String(32), primary_key=True))


class StateUnknownTable(PortcullisError):
    """The state database holds a table the gateway does not define, so a dump would drop it."""


@dataclass(frozen=True, slots=True)
class LedgerHead:
    """The ledger as the snapshot holds it: origin, public key and size."""

    origin: str
    public_key: str
    size: int


@dataclass(frozen=True, slots=True)
class StateDump:
    """What a dump holds: the backend it came from, rows per table and the ledger head."""

    backend: str
    tables: dict[str, int]
    ledger: LedgerHead | None


def state_tables() -> list[Table]:
    """Return every table the gateway defines and keeps, parents before children."""
    for name in (*TABLE_MODULES, "portcullis.api.tables"):
        importlib.import_module(name)
    # A derived table is recounted by the database as the rows it derives from are loaded.
    return [table for table in metadata.sorted_tables if not table.info.get("derived")]


def dump_state(url: str, out_dir: Path) -> StateDump:
    """Write one JSON Lines file per table of the store at `url` into `out_dir`/state."""
    folder = out_dir / STATE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    backend = make_url(url).get_backend_name()
    with _snapshot(url) as conn:
        tables = _present_tables(conn)
        counts = {table.name: _dump_table(conn, table, folder) for table in tables}
        head = conn.execute(
            select(ledger_head.c.origin, ledger_head.c.public_key, ledger_head.c.size)
        ).one_or_none()
    ledger = None if head is None else LedgerHead(head.origin, head.public_key, int(head.size))
    return StateDump(backend, counts, ledger)


def load_state(engine: Engine, in_dir: Path, counts: dict[str, int]) -> None:
    """Create the schema on `engine` and load every dumped table, checking each row count."""
    create_schema(engine)
    known = {table.name: table for table in state_tables()}
    unknown = sorted(set(counts) - set(known) - {_ALEMBIC.name})
    if unknown:
        raise StateUnknownTable(f"the backup holds table {unknown[0]}, which this gateway lacks")
    with engine.begin() as conn:
        for table in state_tables():
            if table.name in counts:
                _load_table(conn, table, in_dir / STATE_DIR, counts[table.name])
        if _ALEMBIC.name in counts:
            _ALEMBIC.create(conn, checkfirst=True)
            _load_table(conn, _ALEMBIC, in_dir / STATE_DIR, counts[_ALEMBIC.name])
        if conn.dialect.name == "postgresql":
            _advance_sequences(conn)


@contextmanager
def _snapshot(url: str) -> Iterator[Connection]:
    if make_url(url).get_backend_name() == "sqlite":
        source = make_url(url).database or ""
        with tempfile.TemporaryDirectory(prefix="portcullis-snapshot-") as scratch:
            copy = Path(scratch) / "state.sqlite"
            _sqlite_online_copy(Path(source), copy)
            engine = open_engine(f"sqlite:///{copy}")
            try:
                with engine.connect() as conn:
                    yield conn
            finally:
                engine.dispose()
        return
    engine = open_engine(url)
    try:
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        with engine.connect().execution_options(**options) as conn, conn.begin():
            yield conn
    finally:
        engine.dispose()


def _sqlite_online_copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise PortcullisError(f"the state database {source} does not exist")
    uri = source.resolve().as_uri() + "?mode=ro"
    with sqlite3.connect(uri, uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _present_tables(conn: Connection) -> list[Table]:
    names = set(inspect(conn).get_table_names())
    tables = [table for table in state_tables() if table.name in names]
    if _ALEMBIC.name in names:
        tables.append(_ALEMBIC)
    derived = {table.name for table in metadata.sorted_tables if table.info.get("derived")}
    unknown = sorted(names - {table.name for table in tables} - derived)
    if unknown:
        raise StateUnknownTable(
            f"the state database holds table {unknown[0]}, which this gateway does not define;"
            " a backup would leave it out"
        )
    return tables


def _dump_table(conn: Connection, table: Table, folder: Path) -> int:
    query = select(table).order_by(*(table.primary_key.columns or table.columns))
    count = 0
    with (folder / f"{table.name}.jsonl").open("w", encoding="utf-8") as handle:
        result = conn.execution_options(yield_per=_BATCH).execute(query)
        for row in result.mappings():
            handle.write(encode_row(table, row) + "\n")
            count += 1
    return count


def _load_table(conn: Connection, table: Table, folder: Path, expected: int) -> None:
    path = folder / f"{table.name}.jsonl"
    batch: list[dict[str, object]] = []
    count = 0
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            batch.append(decode_row(table, line, f"{STATE_DIR}/{path.name} line {number}"))
            count += 1
            if len(batch) == _BATCH:
                conn.execute(table.insert(), batch)
                batch.clear()
    if batch:
        conn.execute(table.insert(), batch)
    if count != expected:
        raise PortcullisError(
            f"{STATE_DIR}/{path.name} holds {count} rows, the manifest says {expected}"
        )


def _advance_sequences(conn: Connection) -> None:
    # Rows were inserted with their own ids; move each serial sequence past the largest.
    for table in state_tables():
        column = table.autoincrement_column
        if column is None:
            continue
        largest = conn.execute(select(func.max(column))).scalar_one()
        if largest is None:
            continue
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence(:t, :c), :v)"),
            {"t": table.name, "c": column.name, "v": int(largest)},
        )
