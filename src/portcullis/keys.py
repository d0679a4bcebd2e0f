"""Ed25519 key files: create, load, and name them the same way everywhere."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from portcullis.errors import PortcullisError


class KeyUnreadable(PortcullisError):
    """A key file is missing or is not an Ed25519 key in PEM form."""


def create_private_key(path: Path) -> Ed25519PrivateKey:
    """Generate an Ed25519 key, write it (PKCS#8 PEM, mode 0600) and its public half beside it."""
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.write_bytes(pem)
    path.chmod(0o600)
    path.with_suffix(".pub").write_text(public_key_b64(key.public_key()) + "\n")
    return key


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Read an Ed25519 private key written by `create_private_key`."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise KeyUnreadable(f"cannot read Ed25519 private key {path}: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyUnreadable(f"{path} is not an Ed25519 private key")
    return key


def public_key_b64(key: Ed25519PublicKey) -> str:
    """Return the raw 32-byte public key in standard base64."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def public_key_from_b64(text: str) -> Ed25519PublicKey:
    """Parse a raw 32-byte public key given in standard base64."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise KeyUnreadable(f"not a base64 Ed25519 public key: {exc}") from exc


def fingerprint(key: Ed25519PublicKey) -> str:
    """Return a short stable identifier of a public key: the first 16 hex digits of its SHA-256."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]
