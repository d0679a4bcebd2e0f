"""Verify RFC 9162 inclusion and consistency proofs (sections 2.1.3.2 and 2.1.4.2)."""

from __future__ import annotations

from collections.abc import Sequence

from portcullis.ledger.errors import ProofInvalid
from portcullis.ledger.hashing import HASH_SIZE, node_hash


def _check_elements(proof: Sequence[bytes]) -> None:
    for position, element in enumerate(proof):
        if len(element) != HASH_SIZE:
            raise ProofInvalid(f"proof element {position} is {len(element)} bytes, not {HASH_SIZE}")


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """Return the root that an inclusion proof for leaf `index` in a tree of `size` implies."""
    if not 0 <= index < size:
        raise ProofInvalid(f"leaf index {index} is outside a tree of size {size}")
    if len(leaf) != HASH_SIZE:
        raise ProofInvalid(f"leaf hash is {len(leaf)} bytes, not {HASH_SIZE}")
    _check_elements(proof)
    fn, sn, result = index, size - 1, leaf
    for element in proof:
        if sn == 0:
            raise ProofInvalid("inclusion proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            result = node_hash(element, result)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, element)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofInvalid("inclusion proof is shorter than the tree is deep")
    return result


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise ProofInvalid unless `proof` shows leaf `index` is in the tree of `size` with `root`."""
    if root_from_inclusion(index, size, leaf, proof) != root:
        raise ProofInvalid(f"inclusion proof for leaf {index} does not lead to the tree root")


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> None:
    """Raise ProofInvalid unless `proof` shows the tree of `size1` is a prefix of `size2`'s."""
    if size1 < 1 or size2 < size1:
        raise ProofInvalid(f"no consistency proof exists from size {size1} to size {size2}")
    if size1 == size2:
        if proof:
            raise ProofInvalid("equal sizes need an empty consistency proof")
        if root1 != root2:
            raise ProofInvalid(f"two different roots for the same size {size1}")
        return
    if not proof:
        raise ProofInvalid("consistency proof is empty")
    _check_elements(proof)
    path = list(proof)
    # A power-of-two first tree is a complete subtree of the second, so its root seeds the path.
    if size1 & (size1 - 1) == 0:
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    first = second = path[0]
    for element in path[1:]:
        if sn == 0:
            raise ProofInvalid("consistency proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            first = node_hash(element, first)
            second = node_hash(element, second)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            second = node_hash(second, element)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofInvalid("consistency proof is shorter than the tree is deep")
    if first != root1:
        raise ProofInvalid(f"consistency proof does not lead to the root of size {size1}")
    if second != root2:
        raise ProofInvalid(f"consistency proof does not lead to the root of size {size2}")
