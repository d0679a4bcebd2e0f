"""Proof construction from stored subtree hashes, checked against the RFC 9162 definitions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portcullis.ledger.compact import CompactRange
from portcullis.ledger.errors import IndexOutOfRange, ProofInvalid
from portcullis.ledger.hashing import EMPTY_ROOT, leaf_hash, node_hash
from portcullis.ledger.proofs import verify_consistency, verify_inclusion
from portcullis.ledger.tree import (
    NodeId,
    consistency_spans,
    fold_span,
    hash_spans,
    inclusion_spans,
    span_nodes,
)


def reference_root(leaves: list[bytes]) -> bytes:
    """MTH exactly as RFC 9162 section 2.1.1 defines it, recursively."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


def build(size: int) -> tuple[list[bytes], dict[NodeId, bytes]]:
    leaves = [leaf_hash(str(i).encode()) for i in range(size)]
    tree = CompactRange()
    store: dict[NodeId, bytes] = {}
    for leaf in leaves:
        store.update({(lv, ix): h for lv, ix, h in tree.append(leaf)})
    return leaves, store


def flip(proof: list[bytes], position: int, bit: int) -> list[bytes]:
    changed = bytearray(proof[position])
    changed[bit // 8] ^= 1 << (bit % 8)
    return [*proof[:position], bytes(changed), *proof[position + 1 :]]


@pytest.mark.parametrize("size", [0, 1, 2, 3, 7, 8, 9, 31, 64, 100])
def test_roots_match_the_rfc_definition(size: int) -> None:
    leaves, store = build(size)
    assert fold_span(span_nodes(0, size), store) == reference_root(leaves)


@pytest.mark.parametrize(
    ("start", "end", "nodes"),
    [
        pytest.param(0, 7, [(2, 0), (1, 2), (0, 6)], id="seven-leaves"),
        pytest.param(0, 8, [(3, 0)], id="power-of-two"),
        pytest.param(4, 7, [(1, 2), (0, 6)], id="aligned-suffix"),
        pytest.param(5, 5, [], id="empty"),
    ],
)
def test_span_nodes_decompose_into_complete_subtrees(
    start: int, end: int, nodes: list[NodeId]
) -> None:
    assert span_nodes(start, end) == nodes


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=70), st.data())
def test_every_inclusion_proof_verifies(size: int, data: st.DataObject) -> None:
    leaves, store = build(size)
    root = reference_root(leaves)
    for index in range(size):
        verify_inclusion(
            index, size, leaves[index], hash_spans(inclusion_spans(index, size), store), root
        )
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    proof = hash_spans(inclusion_spans(index, size), store)
    if proof:
        position = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
        bit = data.draw(st.integers(min_value=0, max_value=255))
        with pytest.raises(ProofInvalid):
            verify_inclusion(index, size, leaves[index], flip(proof, position, bit), root)
    with pytest.raises(ProofInvalid):
        verify_inclusion(index, size, leaves[index], [*proof, leaves[0]], root)
    with pytest.raises(ProofInvalid):
        verify_inclusion(index, size, flip([leaves[index]], 0, 0)[0], proof, root)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=70), st.data())
def test_every_consistency_proof_verifies(size2: int, data: st.DataObject) -> None:
    leaves, store = build(size2)
    root2 = reference_root(leaves)
    for size1 in range(1, size2 + 1):
        proof = hash_spans(consistency_spans(size1, size2), store)
        verify_consistency(size1, size2, reference_root(leaves[:size1]), root2, proof)
    size1 = data.draw(st.integers(min_value=1, max_value=size2))
    root1 = reference_root(leaves[:size1])
    proof = hash_spans(consistency_spans(size1, size2), store)
    if proof:
        position = data.draw(st.integers(min_value=0, max_value=len(proof) - 1))
        bit = data.draw(st.integers(min_value=0, max_value=255))
        with pytest.raises(ProofInvalid):
            verify_consistency(size1, size2, root1, root2, flip(proof, position, bit))
    with pytest.raises(ProofInvalid):
        verify_consistency(size1, size2, root1, root2, [*proof, leaves[0]])


def test_a_forked_history_is_not_consistent() -> None:
    leaves, store = build(6)
    forked = [*leaves[:3], leaf_hash(b"rewritten")]
    proof = hash_spans(consistency_spans(4, 6), store)
    with pytest.raises(ProofInvalid):
        verify_consistency(4, 6, reference_root(forked), reference_root(leaves), proof)


@pytest.mark.parametrize(
    ("index", "size"),
    [pytest.param(3, 3, id="index-equals-size"), pytest.param(-1, 3, id="negative")],
)
def test_inclusion_spans_refuse_leaves_outside_the_tree(index: int, size: int) -> None:
    with pytest.raises(IndexOutOfRange):
        inclusion_spans(index, size)


def test_compact_range_resumes_from_its_frontier() -> None:
    leaves, store = build(13)
    resumed = CompactRange(13, [store[node] for node in span_nodes(0, 13)])
    extra = leaf_hash(b"next")
    resumed.append(extra)
    assert resumed.root() == reference_root([*leaves, extra])
