"""Ledger tables on the shared state metadata: entries, tree nodes, checkpoints, witnesses."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    func,
)

from portcullis.store.metadata import metadata

# One row: the ledger's identity and size; updating it first serialises every writer.
ledger_head = Table(
    "ledger_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("origin", String(300), nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("idx", BigInteger, primary_key=True, autoincrement=False),
    Column("decision_key", String(300), nullable=False, unique=True),
    Column("body", LargeBinary, nullable=False),
    Column(
        "recorded_at",
        DateTime(timezone=True),
        nullable=False,
        server_default=func.current_timestamp(),
    ),
)

# Hashes of complete subtrees by node_key: level 0 holds leaf hashes, level L spans 2**L leaves.
ledger_nodes = Table(
    "ledger_nodes",
    metadata,
    Column("node", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary(32), nullable=False),
)

# The level sits above the index so that each level is one contiguous range of keys, and one
# integer key lets a proof's nodes be fetched with a single cached IN query.
_LEVEL_SHIFT = 56


def node_key(level: int, index: int) -> int:
    """Pack a complete subtree's level and index into its ledger_nodes key."""
    return (level << _LEVEL_SHIFT) | index


def node_of(key: int) -> tuple[int, int]:
    """Unpack a ledger_nodes key into the subtree's level and index."""
    return key >> _LEVEL_SHIFT, key & ((1 << _LEVEL_SHIFT) - 1)


ledger_checkpoints = Table(
    "ledger_checkpoints",
    metadata,
    Column("size", BigInteger, primary_key=True, autoincrement=False),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("note", Text, nullable=False),
    Column("signed_at", DateTime(timezone=True), nullable=False),
)

ledger_cosignatures = Table(
    "ledger_cosignatures",
    metadata,
    Column("size", BigInteger, ForeignKey("ledger_checkpoints.size"), primary_key=True),
    Column("witness", String(200), primary_key=True),
    Column("line", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

# The oversight bodies whose cosignatures count, by name and public key.
ledger_witnesses = Table(
    "ledger_witnesses",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("public_key", String(64), nullable=False),
)

# Each witness's own memory of the largest tree it cosigned per log: what defeats a split view.
witness_state = Table(
    "witness_state",
    metadata,
    Column("witness", String(200), primary_key=True),
    Column("origin", String(300), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

LEDGER_TABLES = (
    ledger_head,
    ledger_entries,
    ledger_nodes,
    ledger_checkpoints,
    ledger_cosignatures,
    ledger_witnesses,
    witness_state,
)


def create_ledger_tables(engine: Engine) -> None:
    """Create the ledger's tables that do not exist yet, leaving every other table alone."""
    metadata.create_all(engine, tables=list(LEDGER_TABLES))
