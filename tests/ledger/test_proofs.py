"""Proof verification against the transparency-dev known-answer vectors and random trees."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portcullis.ledger.errors import ProofInvalid
from portcullis.ledger.hashing import leaf_hash, node_hash
from portcullis.ledger.proofs import verify_consistency, verify_inclusion

VECTORS = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "merkle"


def _cases(kind: str) -> list[Any]:
    folder = VECTORS / kind
    if not folder.is_dir():
        return [pytest.param(None, id=f"{kind}-vectors-absent")]
    return [
        pytest.param(path, id=str(path.relative_to(folder)))
        for path in sorted(folder.rglob("*.json"))
    ]


def _load(path: Path | None) -> dict[str, Any]:
    if path is None:
        pytest.skip(f"known-answer vectors not found at {VECTORS} (../shared/testdata/merkle)")
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _hashes(items: list[str] | None) -> list[bytes]:
    return [base64.b64decode(item) for item in items or []]


@pytest.mark.parametrize("path", _cases("inclusion"))
def test_inclusion_vector(path: Path | None) -> None:
    case = _load(path)
    leaf, root = base64.b64decode(case["leafHash"]), base64.b64decode(case["root"])
    verify = lambda: verify_inclusion(  # noqa: E731
        case["leafIdx"], case["treeSize"], leaf, _hashes(case["proof"]), root
    )
    if case["wantErr"]:
        with pytest.raises(ProofInvalid):
            verify()
    else:
        verify()


@pytest.mark.parametrize("path", _cases("consistency"))
def test_consistency_vector(path: Path | None) -> None:
    case = _load(path)
    root1, root2 = base64.b64decode(case["root1"]), base64.b64decode(case["root2"])
    verify = lambda: verify_consistency(  # noqa: E731
        case["size1"], case["size2"], root1, root2, _hashes(case["proof"])
    )
    if case["wantErr"]:
        with pytest.raises(ProofInvalid):
            verify()
    else:
        verify()


def test_vectors_have_happy_and_mutated_cases() -> None:
    if not VECTORS.is_dir():
        pytest.skip(f"known-answer vectors not found at {VECTORS}")
    cases = [json.loads(p.read_text()) for p in (VECTORS / "inclusion").rglob("*.json")]
    assert any(not c["wantErr"] for c in cases)
    assert any(c["wantErr"] for c in cases)


def test_single_leaf_tree_needs_no_proof() -> None:
    leaf = leaf_hash(b"{}")
    verify_inclusion(0, 1, leaf, [], leaf)


def test_two_leaf_proof_is_the_sibling() -> None:
    left, right = leaf_hash(b"a"), leaf_hash(b"b")
    verify_inclusion(1, 2, right, [left], node_hash(left, right))
    with pytest.raises(ProofInvalid):
        verify_inclusion(0, 2, right, [left], node_hash(left, right))


@given(st.binary(min_size=32, max_size=32), st.integers(min_value=0, max_value=31))
def test_proof_elements_must_be_hash_sized(element: bytes, cut: int) -> None:
    leaf = leaf_hash(b"x")
    with pytest.raises(ProofInvalid):
        verify_inclusion(0, 2, leaf, [element[:cut]], node_hash(leaf, element))
