"""Roots and proofs assembled from the stored subtree hashes."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from portcullis.ledger.compact import CompactRange
from portcullis.ledger.hashing import canonical_entry, leaf_hash
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.nodes import TreeIncomplete, fetch_nodes, frontier, root_at
from portcullis.ledger.tables import ledger_nodes, node_key, node_of

from .conftest import Filler


@pytest.mark.parametrize(
    ("level", "index"),
    [
        pytest.param(0, 0, id="first-leaf"),
        pytest.param(5, 123, id="interior"),
        pytest.param(63, 2**40, id="top"),
    ],
)
def test_node_keys_round_trip(level: int, index: int) -> None:
    assert node_of(node_key(level, index)) == (level, index)
    assert node_key(level, index) < 2**63


def test_stored_roots_match_a_fresh_computation(ledger: Ledger, fill: Filler) -> None:
    fill(21)
    tree = CompactRange()
    with ledger.engine.connect() as conn:
        for size in range(1, 22):
            tree.append(leaf_hash(canonical_entry(ledger.entry(size - 1))))
            assert root_at(conn, size) == tree.root()
        assert len(frontier(conn, 21)) == 3  # 16 + 4 + 1


def test_a_missing_subtree_hash_is_named(ledger: Ledger, fill: Filler) -> None:
    fill(8)
    with ledger.engine.begin() as conn:
        conn.execute(delete(ledger_nodes).where(ledger_nodes.c.node == node_key(3, 0)))
    with ledger.engine.connect() as conn, pytest.raises(TreeIncomplete, match="level 3, index 0"):
        fetch_nodes(conn, [(3, 0)])
