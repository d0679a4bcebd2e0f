"""Read stored subtree hashes and turn them into roots and RFC 9162 proofs."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from portcullis.ledger.errors import LedgerError
from portcullis.ledger.tables import ledger_nodes, node_key, node_of
from portcullis.ledger.tree import (
    NodeId,
    Span,
    consistency_spans,
    fold_span,
    hash_spans,
    inclusion_spans,
    nodes_for,
    span_nodes,
)

# Keep each IN-style query well under every backend's bound-parameter limit.
_BATCH = 200


class TreeIncomplete(LedgerError):
    """A subtree hash the tree needs is missing from the state database."""


def fetch_nodes(conn: Connection, ids: Iterable[NodeId]) -> dict[NodeId, bytes]:
    """Load the hashes of the given complete subtrees, failing if any is missing."""
    wanted = sorted(set(ids))
    found: dict[NodeId, bytes] = {}
    for start in range(0, len(wanted), _BATCH):
        chunk = wanted[start : start + _BATCH]
        keys = [node_key(level, index) for level, index in chunk]
        query = select(ledger_nodes.c.node, ledger_nodes.c.hash).where(
            ledger_nodes.c.node.in_(keys)
        )
        found.update({node_of(int(key)): bytes(value) for key, value in conn.execute(query)})
    missing = [node for node in wanted if node not in found]
    if missing:
        level, index = missing[0]
        raise TreeIncomplete(f"subtree hash at level {level}, index {index} is missing")
    return found


def frontier(conn: Connection, size: int) -> list[bytes]:
    """Return the hashes of the complete subtrees covering [0, size), largest first."""
    ids = span_nodes(0, size)
    found = fetch_nodes(conn, ids)
    return [found[node] for node in ids]


def root_at(conn: Connection, size: int) -> bytes:
    """Compute the root hash of the first `size` leaves from stored subtree hashes."""
    ids = span_nodes(0, size)
    return fold_span(ids, fetch_nodes(conn, ids))


def _prove(conn: Connection, spans: list[Span]) -> list[bytes]:
    return hash_spans(spans, fetch_nodes(conn, nodes_for(spans)))


def inclusion_proof(conn: Connection, index: int, size: int) -> list[bytes]:
    """Build the RFC 9162 inclusion proof of leaf `index` in the tree of `size`."""
    return _prove(conn, inclusion_spans(index, size))


def consistency_proof(conn: Connection, size1: int, size2: int) -> list[bytes]:
    """Build the RFC 9162 consistency proof from the tree of `size1` to that of `size2`."""
    if size1 == size2:
        return []
    return _prove(conn, consistency_spans(size1, size2))
