"""Receipts travel with packages and verify with nothing but public keys."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portcullis.ledger.errors import ReceiptInvalid
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.receipt import verify_receipt
from portcullis.ledger.witness import Witness

from .conftest import Filler, WitnessFactory, sample_entry


@pytest.fixture
def witnesses(ledger: Ledger, fill: Filler, make_witness: WitnessFactory) -> list[Witness]:
    """A ledger of 9 entries under a checkpoint cosigned by two witnesses."""
    pair = [make_witness("tigta"), make_witness("jct")]
    fill(9)
    ledger.request_cosignatures(pair)
    return pair


def _keys(witnesses: list[Witness]) -> dict[str, Any]:
    return {w.name: w.public_key for w in witnesses}


def test_receipt_verifies_for_its_entry(ledger: Ledger, witnesses: list[Witness]) -> None:
    receipt = json.loads(json.dumps(ledger.receipt(6).to_json()))
    verify_receipt(receipt, sample_entry("d6"), ledger.public_key, _keys(witnesses), 2)
    assert receipt["leaf_index"] == 6 and receipt["tree_size"] == 9


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param(lambda r: {**r, "leaf_index": 5}, "inclusion", id="wrong-index"),
        pytest.param(lambda r: {**r, "tree_size": 10}, "size", id="wrong-size"),
        pytest.param(
            lambda r: {**r, "inclusion_proof": r["inclusion_proof"][:-1]}, "shorter", id="truncated"
        ),
        pytest.param(
            lambda r: {**r, "inclusion_proof": [*r["inclusion_proof"], r["leaf_hash"]]},
            "longer",
            id="extended",
        ),
        pytest.param(
            lambda r: {k: v for k, v in r.items() if k != "checkpoint"}, "lacks", id="missing-field"
        ),
        pytest.param(
            lambda r: {**r, "checkpoint": r["checkpoint"].replace("\n9\n", "\n8\n")},
            "signature",
            id="edited-checkpoint",
        ),
    ],
)
def test_altered_receipts_are_refused(
    ledger: Ledger, witnesses: list[Witness], change: Any, reason: str
) -> None:
    receipt = change(ledger.receipt(6).to_json())
    with pytest.raises(ReceiptInvalid, match=reason):
        verify_receipt(receipt, sample_entry("d6"), ledger.public_key, _keys(witnesses), 2)


def test_another_entry_is_refused(ledger: Ledger, witnesses: list[Witness]) -> None:
    with pytest.raises(ReceiptInvalid, match="leaf hash"):
        verify_receipt(
            ledger.receipt(6).to_json(), sample_entry("d5"), ledger.public_key, _keys(witnesses), 2
        )


def test_quorum_and_keys_are_the_recipients_to_choose(
    ledger: Ledger, witnesses: list[Witness]
) -> None:
    receipt = ledger.receipt(0).to_json()
    with pytest.raises(ReceiptInvalid, match="cosignatures"):
        verify_receipt(receipt, sample_entry("d0"), ledger.public_key, _keys(witnesses[:1]), 2)
    with pytest.raises(ReceiptInvalid, match="signature"):
        verify_receipt(
            receipt,
            sample_entry("d0"),
            Ed25519PrivateKey.generate().public_key(),
            _keys(witnesses),
            0,
        )
