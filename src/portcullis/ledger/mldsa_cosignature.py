"""C2SP tlog-cosignature with ML-DSA-44 (type 0x06): a post-quantum cosignature of a checkpoint.

The signed message is the `subtree/v1` structure: the cosigner's name, the time, the log's origin
and the tree [0, size) with its root; unlike cosignature/v1 it commits to the cosigner's name.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA44PrivateKey, MLDSA44PublicKey

from portcullis.keys import KeyUnreadable
from portcullis.ledger.checkpoint import Checkpoint, parse_body
from portcullis.ledger.errors import LedgerError
from portcullis.ledger.note import signature_line, split_note

ML_DSA_44_COSIGNATURE = 0x06
_LABEL = b"subtree/v1\n\x00"
_SIGNATURE_BYTES = 2420
_PUBLIC_BYTES = 1312


def mldsa_key_id(name: str, key: MLDSA44PublicKey) -> bytes:
    """SHA-256(name || 0x0A || 0x06 || 1312-byte public key)[:4]."""
    material = name.encode() + b"\n" + bytes([ML_DSA_44_COSIGNATURE]) + key.public_bytes_raw()
    return hashlib.sha256(material).digest()[:4]


def _short(value: bytes, what: str) -> bytes:
    if not 1 <= len(value) <= 255:
        raise LedgerError(f"{what} must be 1 to 255 bytes long for an ML-DSA-44 cosignature")
    return bytes([len(value)]) + value


def subtree_message(name: str, timestamp: int, origin: str, size: int, root: bytes) -> bytes:
    """Build the `cosigned_message` of a checkpoint: start 0, end its size, its root hash."""
    return (
        _LABEL
        + _short(name.encode(), "the cosigner name")
        + struct.pack(">Q", timestamp)
        + _short(origin.encode(), "the log origin")
        + struct.pack(">QQ", 0, size)
        + root
    )


def cosign_mldsa(checkpoint: Checkpoint, name: str, key: MLDSA44PrivateKey, timestamp: int) -> str:
    """Return the ML-DSA-44 cosignature line of witness `name` on `checkpoint`."""
    message = subtree_message(name, timestamp, checkpoint.origin, checkpoint.size, checkpoint.root)
    signed = struct.pack(">Q", timestamp) + key.sign(message)
    return signature_line(name, mldsa_key_id(name, key.public_key()), signed)


def valid_mldsa_cosigners(note: str, witnesses: Mapping[str, MLDSA44PublicKey]) -> set[str]:
    """Return the known witnesses whose ML-DSA-44 cosignature on the checkpoint note verifies."""
    body, signatures = split_note(note)
    origin, size, root = parse_body(body)
    valid: set[str] = set()
    for signature in signatures:
        key = witnesses.get(signature.name)
        if key is None or signature.key_id != mldsa_key_id(signature.name, key):
            continue
        if len(signature.signature) != 8 + _SIGNATURE_BYTES:
            continue
        (timestamp,) = struct.unpack(">Q", signature.signature[:8])
        if timestamp >= 2**63:
            continue
        message = subtree_message(signature.name, timestamp, origin, size, root)
        try:
            key.verify(signature.signature[8:], message)
        except InvalidSignature:
            continue
        valid.add(signature.name)
    return valid


def create_mldsa_key(path: Path) -> MLDSA44PrivateKey:
    """Generate an ML-DSA-44 key; write its seed (base64, mode 0600) and its public key beside."""
    key = MLDSA44PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(base64.b64encode(key.private_bytes_raw()).decode() + "\n")
    path.chmod(0o600)
    path.with_suffix(".pub").write_text(mldsa_public_b64(key.public_key()) + "\n")
    return key


def load_mldsa_key(path: Path) -> MLDSA44PrivateKey:
    """Read an ML-DSA-44 key written by `create_mldsa_key`."""
    try:
        return MLDSA44PrivateKey.from_seed_bytes(
            base64.b64decode(path.read_text().strip(), validate=True)
        )
    except (OSError, ValueError, binascii.Error) as exc:
        raise KeyUnreadable(f"cannot read ML-DSA-44 key {path}: {exc}") from exc


def mldsa_public_b64(key: MLDSA44PublicKey) -> str:
    """Return the 1312-byte public key in base64."""
    return base64.b64encode(key.public_bytes_raw()).decode()


def mldsa_public_from_b64(text: str) -> MLDSA44PublicKey:
    """Read a base64 ML-DSA-44 public key."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except binascii.Error as exc:
        raise KeyUnreadable("an ML-DSA-44 public key is base64") from exc
    if len(raw) != _PUBLIC_BYTES:
        raise KeyUnreadable(f"an ML-DSA-44 public key is {_PUBLIC_BYTES} bytes, not {len(raw)}")
    return MLDSA44PublicKey.from_public_bytes(raw)
