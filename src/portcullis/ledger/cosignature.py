"""C2SP tlog-cosignature v1: a witness's timestamped Ed25519 signature over a checkpoint body."""

from __future__ import annotations

from collections.abc import Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from portcullis.ledger.note import COSIGNATURE_V1, key_id, signature_line, split_note

_TIMESTAMP_BYTES = 8


def cosigned_message(body: str, timestamp: int) -> bytes:
    """Build the signed message: the cosignature/v1 header, the time line, then the body."""
    return f"cosignature/v1\ntime {timestamp}\n{body}".encode()


def cosign_body(body: str, name: str, key: Ed25519PrivateKey, timestamp: int) -> str:
    """Return the cosignature line a witness named `name` adds to a checkpoint."""
    signature = key.sign(cosigned_message(body, timestamp))
    ident = key_id(name, COSIGNATURE_V1, key.public_key())
    return signature_line(name, ident, timestamp.to_bytes(_TIMESTAMP_BYTES, "big") + signature)


def valid_cosigners(note: str, witnesses: Mapping[str, Ed25519PublicKey]) -> set[str]:
    """Return the names of the known witnesses whose cosignature on the note verifies."""
    body, signatures = split_note(note)
    valid: set[str] = set()
    for signature in signatures:
        key = witnesses.get(signature.name)
        if key is None or signature.key_id != key_id(signature.name, COSIGNATURE_V1, key):
            continue
        if len(signature.signature) != _TIMESTAMP_BYTES + 64:
            continue
        timestamp = int.from_bytes(signature.signature[:_TIMESTAMP_BYTES], "big")
        if timestamp >= 2**63:
            continue
        try:
            key.verify(signature.signature[_TIMESTAMP_BYTES:], cosigned_message(body, timestamp))
        except InvalidSignature:
            continue
        valid.add(signature.name)
    return valid
