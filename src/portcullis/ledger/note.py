"""The C2SP signed-note format: a text body, a blank line, then one line per signature."""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from portcullis.ledger.errors import NoteMalformed, SignatureInvalid

# Signature type bytes from the C2SP specs: a plain Ed25519 note signature, an Ed25519 cosignature.
ED25519 = 0x01
COSIGNATURE_V1 = 0x04
_DASH = "\u2014 "


@dataclass(frozen=True, slots=True)
class NoteSignature:
    """One signature line: the key name, its 4-byte key ID and the signature bytes after it."""

    name: str
    key_id: bytes
    signature: bytes


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    """Return the 32 raw bytes of an Ed25519 public key."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(name: str, sig_type: int, key: Ed25519PublicKey) -> bytes:
    """Compute the C2SP key ID: SHA-256(name || 0x0A || type || public key)[:4]."""
    material = name.encode() + b"\n" + bytes([sig_type]) + raw_public_key(key)
    return hashlib.sha256(material).digest()[:4]


def vkey(name: str, sig_type: int, key: Ed25519PublicKey) -> str:
    """Encode a verifier key as name+hex(key ID)+base64(type || public key)."""
    encoded = base64.b64encode(bytes([sig_type]) + raw_public_key(key)).decode()
    return f"{name}+{key_id(name, sig_type, key).hex()}+{encoded}"


def signature_line(name: str, ident: bytes, signature: bytes) -> str:
    """Format one signature line, newline included."""
    return f"{_DASH}{name} {base64.b64encode(ident + signature).decode()}\n"


def split_note(text: str) -> tuple[str, list[NoteSignature]]:
    """Separate a signed note into its body (ending in a newline) and its signature lines."""
    cut = text.rfind("\n\n")
    if cut < 0 or not text.endswith("\n"):
        raise NoteMalformed("a signed note needs a body, a blank line and signature lines")
    body, tail = text[: cut + 1], text[cut + 2 :]
    signatures: list[NoteSignature] = []
    for line in tail[:-1].split("\n"):
        if not line.startswith(_DASH):
            raise NoteMalformed(f"signature line does not start with an em dash: {line[:40]!r}")
        name, _, encoded = line[len(_DASH) :].rpartition(" ")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise NoteMalformed(f"signature of {name!r} is not base64") from exc
        if not name or " " in name or len(raw) < 5:
            raise NoteMalformed(f"signature line is malformed: {line[:40]!r}")
        signatures.append(NoteSignature(name, raw[:4], raw[4:]))
    if not signatures:
        raise NoteMalformed("a signed note carries at least one signature")
    return body, signatures


def sign_note(body: str, name: str, key: Ed25519PrivateKey) -> str:
    """Sign `body` as a C2SP note with an Ed25519 key named `name`."""
    ident = key_id(name, ED25519, key.public_key())
    return body + "\n" + signature_line(name, ident, key.sign(body.encode()))


def verify_note(text: str, name: str, key: Ed25519PublicKey) -> str:
    """Return the note's body if it carries a valid signature by `key` under `name`."""
    body, signatures = split_note(text)
    ident = key_id(name, ED25519, key)
    for signature in signatures:
        if signature.name == name and signature.key_id == ident:
            try:
                key.verify(signature.signature, body.encode())
            except InvalidSignature:
                continue
            return body
    raise SignatureInvalid(f"note carries no valid signature by {name!r}")
