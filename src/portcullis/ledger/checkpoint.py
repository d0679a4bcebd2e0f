"""C2SP tlog-checkpoint bodies: origin, tree size and root hash, signed as a note."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from portcullis.ledger.errors import NoteMalformed
from portcullis.ledger.hashing import HASH_SIZE
from portcullis.ledger.note import sign_note, split_note, verify_note


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed tree head; `note` is the full signed note, cosignature lines included."""

    origin: str
    size: int
    root: bytes
    note: str

    @property
    def body(self) -> str:
        """The checkpoint body that every signature covers."""
        return checkpoint_body(self.origin, self.size, self.root)


# A size, a level or a width as C2SP writes them: ASCII decimal, no leading zeroes.
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


def is_plain_decimal(text: str) -> bool:
    """Return True if `text` is a C2SP number: ASCII decimal digits with no leading zeroes."""
    return _DECIMAL.fullmatch(text) is not None


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    """Write the three checkpoint lines: origin, decimal size, base64 root hash."""
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def parse_body(body: str) -> tuple[str, int, bytes]:
    """Read origin, size and root hash back from a checkpoint body."""
    lines = body.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteMalformed("a checkpoint body has an origin, a size and a root hash line")
    origin, size_text, root_text = lines[0], lines[1], lines[2]
    if not origin or not is_plain_decimal(size_text):
        raise NoteMalformed(f"checkpoint origin or size is malformed: {size_text!r}")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error as exc:
        raise NoteMalformed("checkpoint root hash is not base64") from exc
    if len(root) != HASH_SIZE:
        raise NoteMalformed(f"checkpoint root hash is {len(root)} bytes, not {HASH_SIZE}")
    return origin, int(size_text), root


def sign_checkpoint(origin: str, size: int, root: bytes, key: Ed25519PrivateKey) -> Checkpoint:
    """Sign a new checkpoint with the ledger's key, named by its origin."""
    note = sign_note(checkpoint_body(origin, size, root), origin, key)
    return Checkpoint(origin, size, root, note)


def open_checkpoint(note: str, origin: str, key: Ed25519PublicKey) -> Checkpoint:
    """Parse a signed checkpoint for `origin`, checking the ledger's signature on it."""
    body = verify_note(note, origin, key)
    found_origin, size, root = parse_body(body)
    if found_origin != origin:
        raise NoteMalformed(f"checkpoint is for origin {found_origin!r}, not {origin!r}")
    return Checkpoint(origin, size, root, note)


def note_origin(note: str) -> str:
    """Return the origin line of a signed checkpoint without checking any signature."""
    body, _ = split_note(note)
    return parse_body(body)[0]
