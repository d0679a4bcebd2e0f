"""The single-item request: a contract manifest whose request file is one item's canonical JSON.

An agency asking about one person sends the signed manifest and the item in one JSON body. The
manifest is exactly the contract's (docs/manifest.md), with `item_count` 1 and `file_sha256` the
SHA-256 of the item's RFC 8785 canonical JSON, which is also the request file the gateway keeps
(a JSON Lines file of one line). So the item is covered by the signature through the hash, as a
batch file is, and it walks the same intake, checks and road.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import rfc8785

from portcullis.contract.manifest import ManifestMalformed, check_signed_manifest

# The kept request file of a single-item request: one line of JSON Lines.
ITEM_FILE_NAME = "item.jsonl"


class ItemMalformed(ManifestMalformed):
    """The item of a single-item request is not an object of text fields."""


def item_file_bytes(item: Mapping[str, object]) -> bytes:
    """Return the request file of a single item: its RFC 8785 canonical JSON (one line)."""
    check_item(item)
    text: dict[str, str | None] = {str(k): (None if v is None else str(v)) for k, v in item.items()}
    try:
        return bytes(rfc8785.dumps(text))
    except rfc8785.CanonicalizationError as exc:
        raise ItemMalformed(f"item cannot be canonicalised: {exc}") from exc


def check_item(item: object) -> None:
    """Raise ItemMalformed naming the first field of `item` that is not text or null."""
    if not isinstance(item, Mapping) or not item:
        raise ItemMalformed("item must be a non-empty JSON object of the request file's columns")
    for name, value in item.items():
        if not isinstance(name, str) or not name.strip():
            raise ItemMalformed("item field names must be non-empty text")
        if value is not None and not isinstance(value, str):
            raise ItemMalformed(f"item field {name} must be text or null")


def split_item_request(document: object) -> tuple[dict[str, Any], bytes]:
    """Return the signed manifest and the request file bytes of a single-item request body."""
    if not isinstance(document, dict) or set(document) != {"manifest", "item", "signature"}:
        raise ManifestMalformed(
            "a single-item request is an object with 'manifest', 'item' and 'signature'"
        )
    signed = {"manifest": document["manifest"], "signature": document["signature"]}
    check_signed_manifest(signed)
    return signed, item_file_bytes(document["item"])
