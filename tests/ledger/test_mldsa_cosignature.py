"""ML-DSA-44 cosignatures (C2SP tlog-cosignature, type 0x06) beside the Ed25519 ones."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA44PrivateKey

from portcullis.keys import KeyUnreadable, public_key_b64
from portcullis.ledger.cosignature import valid_cosigners
from portcullis.ledger.export import export_ledger
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.mldsa_cosignature import (
    create_mldsa_key,
    load_mldsa_key,
    mldsa_public_b64,
    mldsa_public_from_b64,
    subtree_message,
    valid_mldsa_cosigners,
)
from portcullis.ledger.receipt import verify_receipt
from portcullis.ledger.standalone import verify_export
from portcullis.ledger.witness import Witness

from .conftest import ORIGIN, Filler


@pytest.fixture
def pq_witness(ledger: Ledger, tmp_path: Path) -> Witness:
    """A registered witness that cosigns with Ed25519 and ML-DSA-44."""
    witness = Witness(
        "court",
        Ed25519PrivateKey.generate(),
        tmp_path / "court",
        ledger.public_key,
        ORIGIN,
        MLDSA44PrivateKey.generate(),
    )
    ledger.register_witness("court", public_key_b64(witness.public_key))
    return witness


def test_the_signed_message_is_the_subtree_structure() -> None:
    root = bytes(range(32))
    message = subtree_message("w", 7, "log", 5, root)
    expected = b"subtree/v1\n\x00" + b"\x01w" + struct.pack(">Q", 7) + b"\x03log"
    assert message == expected + struct.pack(">QQ", 0, 5) + root


def test_a_checkpoint_carries_both_cosignatures(
    ledger: Ledger, fill: Filler, pq_witness: Witness
) -> None:
    fill(4)
    signed = ledger.request_cosignatures([pq_witness])
    assert pq_witness.pq_public_key is not None
    assert ledger.cosigners(signed) == {"court"}  # the quorum counts the Ed25519 cosignature
    assert valid_mldsa_cosigners(signed.note, {"court": pq_witness.pq_public_key}) == {"court"}
    other = MLDSA44PrivateKey.generate().public_key()
    assert valid_mldsa_cosigners(signed.note, {"court": other}) == set()
    assert valid_cosigners(signed.note, {"court": pq_witness.public_key}) == {"court"}


def test_a_cosignature_over_another_tree_does_not_verify(
    ledger: Ledger, fill: Filler, pq_witness: Witness
) -> None:
    fill(3)
    signed = ledger.request_cosignatures([pq_witness])
    assert pq_witness.pq_public_key is not None
    lines = signed.note.split("\n\n", 1)[1]
    fill(1, "more")
    moved = ledger.checkpoint()
    grafted = moved.note + lines[lines.index("\u2014 court") :]
    assert valid_mldsa_cosigners(grafted, {"court": pq_witness.pq_public_key}) == set()


def test_exports_and_receipts_carrying_them_still_verify(
    ledger: Ledger, fill: Filler, pq_witness: Witness, tmp_path: Path
) -> None:
    fill(5)
    ledger.request_cosignatures([pq_witness])
    export_ledger(ledger.engine, tmp_path / "export")
    verdict = verify_export(tmp_path / "export", quorum=1)
    assert (verdict.latest_size, verdict.latest_cosigners) == (5, ("court",))
    receipt = ledger.receipt(2).to_json()
    witnesses = {"court": pq_witness.public_key}
    verify_receipt(receipt, ledger.entry(2), ledger.public_key, witnesses, 1)


def test_keys_are_written_and_read_back(tmp_path: Path) -> None:
    key = create_mldsa_key(tmp_path / "k.key")
    assert load_mldsa_key(tmp_path / "k.key").public_key() == key.public_key()
    public = (tmp_path / "k.pub").read_text().strip()
    assert mldsa_public_from_b64(public) == key.public_key()
    assert public == mldsa_public_b64(key.public_key())
    (tmp_path / "bad.key").write_text("not a seed")
    with pytest.raises(KeyUnreadable):
        load_mldsa_key(tmp_path / "bad.key")
    with pytest.raises(KeyUnreadable):
        mldsa_public_from_b64("AAAA")
