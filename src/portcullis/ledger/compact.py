"""The right edge of a growing Merkle tree, extended one leaf at a time."""

from __future__ import annotations

from collections.abc import Iterable

from portcullis.ledger.hashing import EMPTY_ROOT, node_hash
from portcullis.ledger.tree import span_nodes

# (level, index, hash) of one complete subtree.
Node = tuple[int, int, bytes]


class CompactRange:
    """The complete subtrees covering leaves [0, size), enough to append and to compute the root."""

    def __init__(self, size: int = 0, frontier: Iterable[bytes] = ()) -> None:
        ids = span_nodes(0, size)
        hashes = list(frontier)
        if len(hashes) != len(ids):
            raise ValueError(f"size {size} needs {len(ids)} frontier hashes, got {len(hashes)}")
        self.size = size
        self._stack: list[Node] = [(lv, ix, h) for (lv, ix), h in zip(ids, hashes, strict=True)]

    def append(self, leaf: bytes) -> list[Node]:
        """Add one leaf hash and return every subtree it completes, the leaf itself first."""
        created: list[Node] = [(0, self.size, leaf)]
        self._stack.append(created[0])
        while len(self._stack) > 1 and self._stack[-1][0] == self._stack[-2][0]:
            level, index, right = self._stack.pop()
            _, _, left = self._stack.pop()
            parent = (level + 1, index >> 1, node_hash(left, right))
            self._stack.append(parent)
            created.append(parent)
        self.size += 1
        return created

    def root(self) -> bytes:
        """Return the RFC 9162 root hash of the leaves appended so far."""
        result: bytes | None = None
        for _, _, value in reversed(self._stack):
            result = value if result is None else node_hash(value, result)
        return EMPTY_ROOT if result is None else result
