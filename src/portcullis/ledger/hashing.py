"""RFC 9162 hashing of ledger entries: canonical JSON leaves and interior nodes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import rfc8785

from portcullis.ledger.errors import EntryNotAnObject

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"


def canonical_entry(entry: Mapping[str, object]) -> bytes:
    """Encode an entry as RFC 8785 canonical JSON bytes, refusing anything but a JSON object."""
    if not isinstance(entry, Mapping):
        raise EntryNotAnObject(f"a ledger entry must be a JSON object, not {type(entry).__name__}")
    try:
        # Values are checked by rfc8785 itself at run time; Any only defers that check to it.
        payload: dict[str, Any] = dict(entry)
        data: bytes = rfc8785.dumps(payload)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise EntryNotAnObject(f"entry cannot be written as canonical JSON: {exc}") from exc
    return data


def leaf_hash(data: bytes) -> bytes:
    """Hash one leaf's bytes as SHA-256(0x00 || data)."""
    return hashlib.sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash two child hashes as SHA-256(0x01 || left || right)."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()
