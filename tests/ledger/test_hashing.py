"""Leaf and node hashing over RFC 8785 canonical JSON."""

from __future__ import annotations

import base64

import pytest

from portcullis.ledger.errors import EntryNotAnObject
from portcullis.ledger.hashing import EMPTY_ROOT, canonical_entry, leaf_hash, node_hash


@pytest.mark.parametrize(
    ("entry", "encoded"),
    [
        pytest.param({"b": 1, "a": "x"}, b'{"a":"x","b":1}', id="sorted-keys"),
        pytest.param({"n": "Nguy\u1ec5n"}, '{"n":"Nguy\u1ec5n"}'.encode(), id="utf8-not-escaped"),
        pytest.param({"f": 1.0, "e": 1e21}, b'{"e":1e+21,"f":1}', id="ecmascript-numbers"),
        pytest.param({"z": {"y": [True, None]}}, b'{"z":{"y":[true,null]}}', id="nested"),
    ],
)
def test_entries_encode_as_canonical_json(entry: dict[str, object], encoded: bytes) -> None:
    assert canonical_entry(entry) == encoded


def test_hashes_match_rfc_9162_known_answers() -> None:
    # SHA-256 of the empty string, and of a lone 0x00 byte: the empty tree and an empty leaf.
    assert base64.b64encode(EMPTY_ROOT).decode() == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    assert (
        base64.b64encode(leaf_hash(b"")).decode() == "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0="
    )


def test_node_hash_is_ordered() -> None:
    left, right = leaf_hash(b"a"), leaf_hash(b"b")
    assert node_hash(left, right) != node_hash(right, left)
    assert node_hash(left, right) != leaf_hash(left + right)


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param([1, 2], id="array"),
        pytest.param({"big": 2**60}, id="integer-beyond-ieee-double"),
        pytest.param({"bad": "\ud800"}, id="lone-surrogate"),
    ],
)
def test_non_canonical_entries_are_refused(entry: object) -> None:
    with pytest.raises(EntryNotAnObject):
        canonical_entry(entry)  # type: ignore[arg-type]
