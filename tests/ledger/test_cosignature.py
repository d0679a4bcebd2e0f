"""C2SP cosignature/v1 lines: the signed message, key IDs and verification."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portcullis.ledger.checkpoint import sign_checkpoint
from portcullis.ledger.cosignature import cosign_body, cosigned_message, valid_cosigners
from portcullis.ledger.note import COSIGNATURE_V1, key_id

ROOT = bytes(32)


def test_signed_message_has_header_time_and_body() -> None:
    assert (
        cosigned_message("o\n1\nAA==\n", 1679315147)
        == b"cosignature/v1\ntime 1679315147\no\n1\nAA==\n"
    )


def test_cosignature_line_carries_key_id_timestamp_and_signature() -> None:
    witness = Ed25519PrivateKey.generate()
    line = cosign_body("o\n1\nAA==\n", "tigta", witness, 1700000000)
    raw = base64.b64decode(line.split(" ")[2])
    assert raw[:4] == key_id("tigta", COSIGNATURE_V1, witness.public_key())
    assert int.from_bytes(raw[4:12], "big") == 1700000000
    assert len(raw) == 4 + 8 + 64


def test_only_known_witnesses_with_valid_signatures_count() -> None:
    log, tigta, jct, stranger = (Ed25519PrivateKey.generate() for _ in range(4))
    checkpoint = sign_checkpoint("o.test/l", 5, ROOT, log)
    good = cosign_body(checkpoint.body, "tigta", tigta, 1700000000)
    forged = cosign_body(checkpoint.body, "jct", stranger, 1700000000)
    unknown = cosign_body(checkpoint.body, "court", stranger, 1700000000)
    note = checkpoint.note + good + forged + unknown
    known = {"tigta": tigta.public_key(), "jct": jct.public_key()}
    assert valid_cosigners(note, known) == {"tigta"}


def test_a_cosignature_on_another_checkpoint_does_not_count() -> None:
    log, tigta = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    first = sign_checkpoint("o.test/l", 5, ROOT, log)
    second = sign_checkpoint("o.test/l", 6, ROOT, log)
    line = cosign_body(first.body, "tigta", tigta, 1700000000)
    assert valid_cosigners(second.note + line, {"tigta": tigta.public_key()}) == set()
