"""The one ordered writer: appends entries and their subtree hashes under a single lock."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import Connection, Engine, Table, select, update
from sqlalchemy.exc import IntegrityError

from portcullis.ledger.compact import CompactRange
from portcullis.ledger.errors import LedgerError
from portcullis.ledger.hashing import leaf_hash
from portcullis.ledger.nodes import frontier
from portcullis.ledger.tables import ledger_entries, ledger_head, ledger_nodes, node_key

_KEY_BATCH = 500
_HEAD_ID = 1


class LedgerIdentityMismatch(LedgerError):
    """The state database already holds a ledger with another origin or signing key."""


class Head(NamedTuple):
    """The ledger's head as a write transaction claimed it: its size and its signing key."""

    size: int
    public_key: str


def claim_head(conn: Connection) -> Head:
    """Take the ledger's write lock inside `conn`'s transaction and return the current head."""
    # A write before any read makes SQLite take its write lock and PostgreSQL lock the row,
    # so concurrent writers in other processes queue here instead of racing for an index.
    conn.execute(
        update(ledger_head).where(ledger_head.c.id == _HEAD_ID).values(size=ledger_head.c.size)
    )
    row = conn.execute(
        select(ledger_head.c.size, ledger_head.c.public_key).where(ledger_head.c.id == _HEAD_ID)
    ).one()
    return Head(int(row.size), str(row.public_key))


def ensure_head(engine: Engine, origin: str, public_key: str) -> None:
    """Create the ledger's head row on first use, or check it names the same origin and key."""
    try:
        with engine.begin() as conn:
            conn.execute(
                ledger_head.insert().values(
                    id=_HEAD_ID, origin=origin, public_key=public_key, size=0
                )
            )
    except IntegrityError:
        pass
    with engine.connect() as conn:
        row = conn.execute(select(ledger_head.c.origin, ledger_head.c.public_key)).one()
    if (row.origin, row.public_key) != (origin, public_key):
        raise LedgerIdentityMismatch(
            f"this state database holds ledger {row.origin!r} with key {row.public_key},"
            f" not {origin!r} with key {public_key}"
        )


_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: list[tuple[object, ...]]
) -> None:
    """Insert many rows through the driver's executemany, skipping per-row SQL compilation."""
    # At a million entries, SQLAlchemy's per-row parameter processing costs more than the hashing.
    mark = _PLACEHOLDERS.get(conn.dialect.paramstyle)
    if mark is None:
        conn.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(column) for column in columns)
    marks = ", ".join(mark for _ in columns)
    conn.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", rows)


def _existing(conn: Connection, keys: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), _KEY_BATCH):
        chunk = keys[start : start + _KEY_BATCH]
        query = select(ledger_entries.c.decision_key, ledger_entries.c.idx).where(
            ledger_entries.c.decision_key.in_(chunk)
        )
        found.update({key: int(idx) for key, idx in conn.execute(query)})
    return found


class LedgerWriter:
    """Serialises appends: one thread at a time here, one transaction at a time in the database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = threading.Lock()

    @property
    def lock(self) -> threading.Lock:
        """The in-process lock every ledger write holds."""
        return self._lock

    def append_many(self, items: Sequence[tuple[str, bytes]]) -> list[int]:
        """Append (decision key, canonical body) pairs in one transaction; return their indexes."""
        if not items:
            return []
        with self._lock, self._engine.begin() as conn:
            return self.append_in(conn, items)

    def append_in(self, conn: Connection, items: Sequence[tuple[str, bytes]]) -> list[int]:
        """Append the pairs inside `conn`'s transaction (the caller holds `lock`)."""
        size = claim_head(conn).size
        known = _existing(conn, [key for key, _ in items])
        tree = CompactRange(size, frontier(conn, size))
        entries: list[tuple[object, ...]] = []
        nodes: list[tuple[object, ...]] = []
        indexes: list[int] = []
        for key, body in items:
            if key in known:
                indexes.append(known[key])
                continue
            known[key] = tree.size
            indexes.append(tree.size)
            entries.append((tree.size, key, body))
            nodes.extend((node_key(lv, ix), h) for lv, ix, h in tree.append(leaf_hash(body)))
        if entries:
            insert_rows(conn, ledger_entries, ("idx", "decision_key", "body"), entries)
            insert_rows(conn, ledger_nodes, ("node", "hash"), nodes)
            conn.execute(
                update(ledger_head).where(ledger_head.c.id == _HEAD_ID).values(size=tree.size)
            )
        return indexes
