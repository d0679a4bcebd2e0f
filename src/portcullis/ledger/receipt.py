"""Disclosure receipts: the checkpoint, its cosignatures and the inclusion proof of one entry."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from portcullis.ledger.checkpoint import note_origin, open_checkpoint
from portcullis.ledger.cosignature import valid_cosigners
from portcullis.ledger.errors import LedgerError, ReceiptInvalid
from portcullis.ledger.hashing import canonical_entry, leaf_hash
from portcullis.ledger.proofs import verify_inclusion


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@dataclass(frozen=True, slots=True)
class Receipt:
    """Evidence that travels with a package: which checkpoint covers the decision, and the proof."""

    checkpoint: str
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    inclusion_proof: tuple[bytes, ...]

    def to_json(self) -> dict[str, object]:
        """Return the receipt as a JSON-ready object with hashes in base64."""
        return {
            "checkpoint": self.checkpoint,
            "leaf_index": self.leaf_index,
            "tree_size": self.tree_size,
            "leaf_hash": _b64(self.leaf_hash),
            "inclusion_proof": [_b64(h) for h in self.inclusion_proof],
        }


def receipt_from_json(data: Mapping[str, object]) -> Receipt:
    """Read a receipt back from its JSON form, naming the first field that is wrong."""
    try:
        checkpoint, index, size = data["checkpoint"], data["leaf_index"], data["tree_size"]
        leaf, proof = data["leaf_hash"], data["inclusion_proof"]
        if not isinstance(checkpoint, str) or not isinstance(leaf, str):
            raise ReceiptInvalid("receipt checkpoint and leaf_hash must be strings")
        if type(index) is not int or type(size) is not int or not isinstance(proof, list):
            raise ReceiptInvalid("receipt leaf_index, tree_size must be integers, proof a list")
        hashes = tuple(base64.b64decode(str(h), validate=True) for h in proof)
        return Receipt(checkpoint, index, size, base64.b64decode(leaf, validate=True), hashes)
    except KeyError as exc:
        raise ReceiptInvalid(f"receipt lacks the field {exc.args[0]}") from exc
    except binascii.Error as exc:
        raise ReceiptInvalid("receipt holds a hash that is not base64") from exc


def verify_receipt(
    receipt_json: Mapping[str, object],
    entry: Mapping[str, object],
    ledger_public_key: Ed25519PublicKey,
    witness_keys: Mapping[str, Ed25519PublicKey],
    quorum: int,
) -> None:
    """Raise ReceiptInvalid unless the entry is proven under a signed checkpoint with a quorum."""
    receipt = receipt_from_json(receipt_json)
    try:
        checkpoint = open_checkpoint(
            receipt.checkpoint, note_origin(receipt.checkpoint), ledger_public_key
        )
        if checkpoint.size != receipt.tree_size:
            raise ReceiptInvalid(
                f"receipt names size {receipt.tree_size}, its checkpoint {checkpoint.size}"
            )
        if leaf_hash(canonical_entry(entry)) != receipt.leaf_hash:
            raise ReceiptInvalid("the entry does not hash to the receipt's leaf hash")
        verify_inclusion(
            receipt.leaf_index,
            receipt.tree_size,
            receipt.leaf_hash,
            receipt.inclusion_proof,
            checkpoint.root,
        )
        cosigners = valid_cosigners(receipt.checkpoint, witness_keys)
    except ReceiptInvalid:
        raise
    except LedgerError as exc:
        raise ReceiptInvalid(f"receipt does not verify: {exc}") from exc
    if len(cosigners) < quorum:
        raise ReceiptInvalid(
            f"checkpoint carries {len(cosigners)} valid cosignatures, the program needs {quorum}"
        )
