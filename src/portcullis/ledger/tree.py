"""Build RFC 9162 proofs from the hashes of complete subtrees, named by level and index."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from portcullis.ledger.errors import IndexOutOfRange
from portcullis.ledger.hashing import EMPTY_ROOT, node_hash

# A complete subtree of 2**level leaves starting at leaf index * 2**level.
NodeId = tuple[int, int]
Span = tuple[int, int]


def _split(size: int) -> int:
    """Return the largest power of two strictly below `size` (RFC 9162's k)."""
    return 1 << ((size - 1).bit_length() - 1)


def span_nodes(start: int, end: int) -> list[NodeId]:
    """List the complete subtrees, largest first, whose leaves make up [start, end)."""
    nodes: list[NodeId] = []
    while start < end:
        level = (end - start).bit_length() - 1
        while start % (1 << level):
            level -= 1
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def fold_span(nodes: Iterable[NodeId], lookup: Mapping[NodeId, bytes]) -> bytes:
    """Combine complete subtrees from right to left into the RFC 9162 hash of their span."""
    result: bytes | None = None
    for node in reversed(list(nodes)):
        result = lookup[node] if result is None else node_hash(lookup[node], result)
    return EMPTY_ROOT if result is None else result


def inclusion_spans(index: int, size: int) -> list[Span]:
    """Return, deepest first, the leaf spans whose hashes form the inclusion proof of `index`."""
    if not 0 <= index < size:
        raise IndexOutOfRange(f"leaf {index} is not in a tree of size {size}")
    spans: list[Span] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            spans.append((start + k, end))
            end = start + k
        else:
            spans.append((start, start + k))
            start += k
    spans.reverse()
    return spans


def consistency_spans(size1: int, size2: int) -> list[Span]:
    """Return, deepest first, the leaf spans whose hashes prove size1 is a prefix of size2."""
    if not 0 < size1 <= size2:
        raise IndexOutOfRange(f"no consistency proof from size {size1} to size {size2}")
    spans: list[Span] = []
    start, end, m, whole = 0, size2, size1, True
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            spans.append((start + k, end))
            end = start + k
        else:
            spans.append((start, start + k))
            start, m, whole = start + k, m - k, False
    if not whole:
        spans.append((start, end))
    spans.reverse()
    return spans


def nodes_for(spans: Iterable[Span]) -> set[NodeId]:
    """Collect every complete subtree needed to hash the given spans."""
    needed: set[NodeId] = set()
    for start, end in spans:
        needed.update(span_nodes(start, end))
    return needed


def hash_spans(spans: Iterable[Span], lookup: Mapping[NodeId, bytes]) -> list[bytes]:
    """Hash each span from the looked-up complete subtrees, in order."""
    return [fold_span(span_nodes(start, end), lookup) for start, end in spans]
