"""The ledger's signing keys over its life: the current one and those retired by rotation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection

from portcullis.keyring import RetiredKey, retired_keys
from portcullis.keys import public_key_from_b64
from portcullis.ledger.checkpoint import parse_body
from portcullis.ledger.note import split_note
from portcullis.ledger.receipt import verify_receipt


@dataclass(frozen=True, slots=True)
class LogKeys:
    """Which key had to sign a checkpoint of each size: a retired one in its sizes, else ours."""

    current: Ed25519PublicKey
    retired: tuple[RetiredKey, ...] = ()

    def for_size(self, size: int) -> Ed25519PublicKey:
        """Return the key that was the ledger's when a checkpoint at `size` was signed."""
        for key in self.retired:
            if key.covers_size(size):
                return public_key_from_b64(key.public_key)
        return self.current

    def for_note(self, note: str) -> Ed25519PublicKey:
        """Return the key a signed checkpoint must carry, judged by the size it names."""
        body, _ = split_note(note)
        return self.for_size(parse_body(body)[1])

    @property
    def next_first_size(self) -> int:
        """The smallest checkpoint size the current key may sign."""
        sizes = [key.last_size for key in self.retired if key.last_size is not None]
        return max(sizes) + 1 if sizes else 0


def load_log_keys(conn: Connection, current: Ed25519PublicKey) -> LogKeys:
    """Return the ledger's current key with every retired one recorded in the state store."""
    return LogKeys(current, tuple(retired_keys(conn, "ledger")))


def verify_receipt_over_rotations(
    receipt_json: Mapping[str, object],
    entry: Mapping[str, object],
    keys: LogKeys,
    witness_keys: Mapping[str, Ed25519PublicKey],
    quorum: int,
) -> None:
    """Verify a receipt under whichever ledger key was in force at its checkpoint's size."""
    checkpoint = receipt_json.get("checkpoint")
    key = keys.for_note(checkpoint) if isinstance(checkpoint, str) else keys.current
    verify_receipt(receipt_json, entry, key, witness_keys, quorum)
